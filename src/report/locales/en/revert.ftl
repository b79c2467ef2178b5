# revert: the plan that undoes a run (evidence.md "Revert a run") — its section in every
# report, and what plan --revert and apply --revert say.

mode-revert = revert
html-mode-revert = revert (undoes what one run wrote)
revert-title = Revert of { $run } ({ $phases }), compared with { $against }
revert-every-phase = every phase
revert-phase = phase { $phase }
revert-against-history = the history store
revert-against-journal = its journal and the portal only
revert-counts = { $superseded ->
    [one] { $superseded } item left as it is
   *[other] { $superseded } items left as they are
} (changed since: see the problems), { $undone ->
    [one] { $undone } already put back by an earlier revert
   *[other] { $undone } already put back by an earlier revert
}
revert-created-title = Created by that run ({ $count }): the portal cannot delete a user; each stays, with what the revert does not take:
revert-created-line = { $name } <{ $email }> { $user }: keeps dossiers { $dossiers }; structures { $structures }
revert-created-gone = { $name } <{ $email }> { $user }: no longer on the portal
revert-gone = no longer on the portal
md-revert-title = Revert of { $run }
md-revert-created = Created by that run ({ $count })
md-revert-created-intro = The portal cannot delete a user: each stays, with what the revert does not take.
md-revert-created-header = | person | user | dossiers kept | structures kept |
revert-csv-created = created by the run

revert-run-unknown = { $run }: no such run in { $dir }
revert-journal-gone = { $run }: its journal { $journal } is gone (deleted by retention after retention_days): what it wrote is no longer known
revert-oldest-hint = the oldest run that can still be reverted is { $oldest } (proone-sync runs lists them)
revert-none-hint = no run of this state directory can be reverted (proone-sync runs lists them)
revert-journal-unreadable = { $path }: cannot read this journal: { $error }
revert-no-phase = { $run } has { $count ->
    [one] { $count } phase
   *[other] { $count } phases
}: there is no phase { $phase }
revert-no-phase-hint = proone-sync runs lists each run's phases in order; --phase counts them from 1
revert-store-unusable = the history store cannot answer ({ $why }): the revert is compared with the run's journal and the portal only
revert-no-changes = Nothing to undo: what the run wrote is undone already, or was changed since.
