# apply: what the command says on the terminal and in the cron log.

lock-held-hint = wait for that run to end; a lock left by a process that died frees itself
state-dir-hint = check the state directory (state_dir in the config)
nothing-to-change = Nothing to change: the portal already has what the plan asks for.
held-record-failed = cannot record the held plan { $fingerprint } as { $state }: { $error }
applying-held-first = Applying the held plan { $fingerprint } approved by { $by } first.
approved-stale = { $path }: the approved held plan { $fingerprint } is stale ({ $count ->
    [one] { $count } change
   *[other] { $count } changes
} above since it was held): nothing of it applied
approved-stale-hint = review what the run holds now (proone-sync held) and approve that one
md-approved-stale = Approved held plan `{ $fingerprint }` refused: stale
md-approved-stale-body = The portal changed since it was held; nothing of it was applied. Changed:
fingerprint-mismatch = the plan's fingerprint is { $fingerprint }, not the approved { $expected }: nothing applied
fingerprint-mismatch-hint = review the plan again (proone-sync plan), or apply the approved one with --plan
already-in-effect = ({ $count } of the plan's actions already in effect)
summary-portal = portal: { $portal }
held-now = A mass-change guard tripped: { $held ->
    [one] { $held } action is
   *[other] { $held } actions are
} held for approval, the rest is applied.
more-problems = … and { $count ->
    [one] { $count } more problem
   *[other] { $count } more problems
}: `proone-sync plan` lists them all
no-terminal = no terminal to confirm on: nothing applied
no-terminal-hint = review the plan (proone-sync plan), then run apply with --yes
confirm = Apply { $count ->
    [one] { $count } change
   *[other] { $count } changes
} to { $organisation }? Type yes to go on:{ " " }
nothing-applied = Nothing applied.
interrupted-now = interrupted: finishing the calls in flight, then writing the journal (Ctrl-C again quits at once)
guard-stopped = a mass-change guard tripped (above): nothing applied
guard-stopped-hint = check that the spreadsheet is complete and right; if the change is intended, run again with --allow-mass-change (max_revocations and max_creations are in the config)
strict-plan = --strict: the plan has errors: nothing applied
fix-and-rerun = fix the problems above and run again
plan-unreadable = { $path }: cannot read the plan: { $error }
plan-not-saved = { $path }: { $error }
plan-not-saved-hint = save a plan with `proone-sync plan --out PLAN`
plan-refused = { $path }: { $error }; nothing applied
plan-refused-hint = make and review a new plan
why-saved-plan = a saved plan is checked against the portal
saved-guard = { $path }: this plan tripped a mass-change guard when it was made: nothing applied
saved-guard-hint = if the change is intended, run again with --allow-mass-change
plan-stale = { $path }: the plan is stale ({ $count ->
    [one] { $count } change
   *[other] { $count } changes
} above since it was made): nothing applied
plan-stale-hint = make and review a new plan against the portal as it is now
held-not-approved = { $path }: this held plan is { $state }, not approved: nothing applied
held-not-approved-hint = approve it first: { $command }
held-elsewhere = { $path }: a held plan not in the state directory { $dir }: nothing applied
held-elsewhere-hint = apply held plans with the config that held them, after proone-sync approve
journal-cannot-start = { $dir }: cannot write the journal: { $error }: nothing applied
journal-stopped = the journal { $journal } could not be written after its line { $lines }: { $error }; no new call was started, and what finished after that line is on stderr above
journal-stopped-hint = free space in the state directory; the next run converges from what the portal holds
journal-cannot-write = the journal cannot be written: { $error }
free-space-hint = free space in the state directory
portal-stopped = the portal stopped answering ({ $down } actions in a row could not reach it; { $not_run } not started)
portal-stopped-hint = run again once the portal answers: what was done stays done, the rest converges
report-unwritable = { $path }: cannot write the report: { $error }
journal-end-unwritable = the journal's end line cannot be written: { $error }
notify-failed = the notify command failed ({ $why }); the run's exit status stays { $exit }
notify-failed-hint = try the command by hand with a report on stdin
notify-stopped = the notify command was stopped after { $secs } s; the run's exit status stays { $exit }
notify-stopped-hint = a notify command must end quickly (mail, msmtp, curl with --max-time)
metrics-unwritable = { $path }: cannot write the metrics: { $error }
metrics-unwritable-hint = check metrics_file in the config (and ReadWritePaths under systemd)
md-run-title = proone-sync apply { $time }: exit status { $exit }
md-run-events = ({ $events })
md-run-invalid = { $count ->
    [one] { $count } input row was invalid and skipped: `proone-sync check` lists it.
   *[other] { $count } input rows were invalid and skipped: `proone-sync check` lists them.
}
