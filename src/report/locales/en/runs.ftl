# Runs (evidence.md "Runs") and the fingerprint's canonical form.
saved-unknown-form = its fingerprint is computed under canonical form { $form }, and this version knows forms 1 to { $known }: apply it with the version that saved it, or plan again
stale-cannot-record = { $dir }: cannot record that the plan is stale: { $error }
run-cannot-record = cannot record the run { $run } in the state directory: { $error }
run-cannot-create = { $dir }: cannot create the run's record, so nothing is done: { $error }
runs-none = No run in { $dir } yet.
runs-header-run = run
runs-header-state = state
runs-header-exit = exit
runs-header-started = started
runs-state-completed = completed
runs-state-failed = failed
runs-state-interrupted = interrupted
runs-state-killed = killed
runs-state-running = running
runs-nothing-sent = nothing sent
runs-phase = { $source } { $fingerprint }: { $counts }
runs-phase-approved = { $source } { $fingerprint } approved by { $by }: { $counts }
runs-status-count = { $count } { $status ->
    [done] done
    [adopted] adopted
    [in_effect] already in effect
    [failed] failed
    [skipped] skipped
    [interrupted] interrupted
    [not_run] not run
    [held] held
   *[other] { $status }
}
held-approval-damaged = the approval of the held plan { $fingerprint } cannot be read: it is not applied
held-approval-damaged-hint = look at approved-{ $fingerprint }.json in the state directory, or approve the plan again
held-header-source = source
runs-op-counts = { $op ->
    [create_user] creations
    [grant_dossier] dossier grants
    [grant_structure] structure grants
    [revoke_dossier] dossier revocations
    [revoke_structure] structure revocations
   *[other] { $op }
}: { $counts }
# Dates (inputs.md "Dates"): the plan's dated sections and the ends of rows.
plan-ended-mark = (ended { $day })
csv-ended = ended
plan-upcoming = Upcoming ({ $count }): these rows start within the window and ask for nothing yet:
plan-ending = Ending soon ({ $count }): these rows end within the window (extend them in the sheet if they go on):
plan-upcoming-line = { $who }: { $what } from { $day } ({ $source })
plan-ending-line = { $who }: { $what } until { $day } ({ $source })
html-card-upcoming = Upcoming
html-card-ending = Ending soon
ending-cannot-record = { $dir }: cannot record the ends this run told: { $error }
plan-other-day = this plan was made for { $day }, and today is { $today }: it is applied as it was reviewed
plan-other-day-hint = rows with dates were judged on { $day }; plan again to judge them today
history-cannot-record = cannot record the run { $run } in the history store: { $error }
history-cannot-record-hint = what the run wrote is in its journal; the next apply imports it into the history store once the store can be written (free space, permissions of the state directory)
