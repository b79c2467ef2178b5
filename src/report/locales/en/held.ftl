# Held changes: the held plan's notice (ticket, run report, e-mail), held, approve, reject.

held-save-portal = the held actions could not be saved for approval: { $error }
held-save-portal-hint = run again once the portal answers: the guard will hold them again
held-rejected = { $count ->
    [one] { $count } action a guard holds is
   *[other] { $count } actions a guard holds are
} the held plan { $fingerprint }, rejected by { $by } at { $at }: left out
md-held-rejected = Rejected held changes
held-cannot-save = { $dir }: cannot save the held plan: { $error }
held-cannot-save-hint = check the state directory (a full disk?)
held-saved = { $count ->
    [one] { $count } action
   *[other] { $count } actions
} held for approval: plan { $fingerprint }. Review { $page }, then: { $command }
md-held-title = Held for approval: `{ $fingerprint }`
md-held-body = A mass-change guard tripped: { $count ->
    [one] { $count } action was not applied and waits
   *[other] { $count } actions were not applied and wait
} for approval ({ $create ->
    [one] { $create } user creation
   *[other] { $create } user creations
}, { $grant_dossier ->
    [one] { $grant_dossier } dossier grant
   *[other] { $grant_dossier } dossier grants
}, { $grant_structure ->
    [one] { $grant_structure } structure grant
   *[other] { $grant_structure } structure grants
}, { $revoke_dossier ->
    [one] { $revoke_dossier } dossier revocation
   *[other] { $revoke_dossier } dossier revocations
}, { $revoke_structure ->
    [one] { $revoke_structure } structure revocation
   *[other] { $revoke_structure } structure revocations
}).
md-held-review = Review: `{ $page }`
md-held-approve = Approve (the next apply applies it): `{ $command }`
md-held-reject = Reject: `{ $command }`

held-state-pending = pending
held-state-approved = approved
held-state-applied = applied
held-state-rejected = rejected
held-state-superseded = superseded
held-state-stale = stale
state-dir-unreadable = { $dir }: cannot read the state directory: { $error }
state-dir-unreadable-hint = check state_dir in the config (and that you may read it: sudo -u <its owner>)
held-none = No held plan in { $dir }.
held-header-fingerprint = fingerprint
held-header-state = state
held-header-created = held at
held-header-age = age
held-header-actions = actions
held-approved-by = approved by { $by } at { $at }
held-review-then = Review a pending plan's page ({ $page }), then: { $command }
held-owner = { $dir }: the state directory belongs to { $owner }: { $verb } as that user
held-find-hint = proone-sync held lists the held plans and their fingerprints
held-find-short = "{ $given }": a fingerprint prefix has at least 8 characters
held-find-unknown = { $given }: no held plan has this fingerprint
held-find-ambiguous = { $given }: more than one held plan starts so: { $matches }
held-not-now = the held plan { $fingerprint } is { $state }: not { $verb ->
    [approve] approved
   *[reject] rejected
}
held-newer-hint = a newer held plan takes its place: proone-sync held
held-states-hint = proone-sync held says where each plan stands
held-edited-hint = a held plan is never edited: let the next apply hold it again
why-approve = a held plan is checked against the portal before it is approved
approve-stale = the held plan { $fingerprint } is stale ({ $count ->
    [one] { $count } change
   *[other] { $count } changes
} above since it was held): not approved
approve-stale-hint = the next apply holds what is still to do as a new plan to review
approve-cannot-record = { $dir }: cannot record the approval: { $error }
approved = Approved the held plan { $fingerprint } ({ $count ->
    [one] { $count } action
   *[other] { $count } actions
}) as { $by }: the next apply applies it first.
reject-cannot-record = cannot record the rejection: { $error }
rejected = Rejected the held plan { $fingerprint } as { $by }: its actions are left out, and not held or notified again while the portal stays as it is.
