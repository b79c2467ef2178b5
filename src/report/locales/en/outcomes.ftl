# apply: what each action changed and why it ended as it did (journal codes rendered).

target-dossier = dossier { $code }
target-structure = structure { $id }
target-user = user { $name }, NRN { $nrn }
target-user-plain = user

reason-internal-error = internal error: { $detail }
reason-already-in-effect = already in effect before this run
reason-already-exists = { $user } already exists with the plan's NRN and e-mail
reason-dependency-cycle = its dependencies never ran (they depend on each other)
reason-dependency-failed = action { $action } it depends on failed
reason-no-user-id = no user id: the plan gives neither one nor a creation
reason-no-person-data = the plan holds no person data for this creation
reason-bad-idempotency-key = the idempotency key is not a valid header value
reason-no-item = the action names no dossier or structure
reason-interrupted-before-sent = interrupted before it was sent
reason-interrupted-between-tries = interrupted between two tries: whether it took effect is unknown until the next run
reason-created-unreadable = the portal created the user but its answer is unreadable ({ $detail }); the next run will find them
reason-conflict-without-user = 409 without existing_user_id: { $detail }
reason-adopted-same-nrn = already on the portal as { $user } (same NRN; { $conflict } conflict): adopted
reason-email-of-another = the e-mail { $email } belongs to another person on the portal ({ $user }, NRN { $nrn }): not adopted; correct the spreadsheet or the portal
reason-conflict-unreadable = 409 { $conflict } conflict with { $user }, which could not be read: { $detail }
reason-refused = HTTP { $status }: { $detail }
reason-portal-unreachable = the portal could not be reached: { $detail }
reason-portal-bad-answer = the portal's answer is not what the API promises: { $detail }
reason-portal-certificate = the portal's TLS certificate is not trusted: { $detail }
reason-portal-interrupted = interrupted before the call could be (re)sent
reason-portal-client = { $detail }

progress-failed = failed: { $target }: { $reason }
progress-line = progress: { $finished }/{ $total } ({ $percent } %), { $failed } failed, { $rate }/s, ETA { $eta }
progress-bar-failed = { $failed } failed

tally = { $done } done, { $in_effect } already in effect, { $adopted } adopted, { $failed } failed, { $skipped } skipped
tally-interrupted = , { $interrupted } interrupted, { $not_run } not started
apply-done = Applied plan { $fingerprint } to { $organisation } in { $secs } s: { $tally }
apply-calls = { $requests ->
    [one] { $requests } portal call
   *[other] { $requests } portal calls
} ({ $retries } retried, { $limited } answered 429)
apply-failed = Failed:
apply-failed-group = { $count } × { $reason }
apply-failed-more = { $first } and { $more } more
apply-other-reasons = … { $count ->
    [one] { $count } other reason
   *[other] { $count } other reasons
} (see the report)
apply-skipped = Skipped: { $count ->
    [one] { $count } action of a person whose creation failed
   *[other] { $count } actions of people whose creation failed
}
apply-interrupted = Interrupted: calls in flight finished; run the same command again to finish (it converges).
apply-journal = Journal: { $path }

md-apply-title = proone-sync apply of plan `{ $fingerprint }`
md-apply-organisation = Organisation
md-apply-portal = Portal
md-apply-mode = Mode
md-apply-source = Source
md-apply-started = Started
md-apply-finished = Finished
md-apply-result = Result
md-apply-actions = Actions
md-apply-outcomes = Outcomes
md-apply-calls = Portal calls
md-apply-calls-value = { $requests } ({ $retries } retried, { $limited } answered 429)
md-apply-journal = Journal
md-apply-failed = Failed
md-apply-skipped = Skipped
md-apply-adopted = Adopted
md-apply-interrupted = Interrupted
md-apply-outcomes-header = | action | op | person | target | HTTP | reason |

stale-other-portal = the plan was made against the portal { $planned }, this run talks to { $now }
stale-other-organisation = the plan was made for the organisation { $planned_name } ({ $planned_id }), the token acts for { $now_name } ({ $now_id })
stale-user-gone = { $user }: no longer on the portal
stale-user-changed = { $user } ({ $email }): { $items }
stale-dossier-added = dossier { $item } added outside the plan
stale-dossier-removed = dossier { $item } removed outside the plan
stale-structure-added = structure { $item } added outside the plan
stale-structure-removed = structure { $item } removed outside the plan
stale-version = version { $from } → { $to } for { $applied } of the plan's changes (something else changed: name, e-mail or profile)
stale-creation-taken = { $name } (to be created): { $who }
stale-nrn-taken = its NRN ({ $nrn }) now belongs to { $user }
stale-email-taken = its e-mail { $email } now belongs to { $user }
stale-and = { " " }and{ " " }
stale-changed = changed: { $change }
