# plan: the summary, the people with their changes, the problems, the unlisted users; the
# Markdown ticket and the CSV for Excel.

mode-additive = additive
mode-prune = prune
plan-title = Plan { $fingerprint } ({ $mode } mode) for { $organisation }
plan-counts = { $create ->
    [one] { $create } user to create
   *[other] { $create } users to create
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
}
plan-counts-more = { $implicit } implicit (administrateur's Pré-demandes), { $unchanged ->
    [one] { $unchanged } person unchanged
   *[other] { $unchanged } people unchanged
}, { $invalid ->
    [one] { $invalid } invalid row skipped
   *[other] { $invalid } invalid rows skipped
}, { $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}
plan-held = { $held ->
    [one] { $held } action
   *[other] { $held } actions
} held for approval by apply (a guard tripped: see the problems)
plan-new-user = new user
plan-dossiers = dossiers:   { $before } → { $after }
plan-structures = structures: { $before } → { $after }
plan-create-user = create the user
plan-held-mark = (held for approval)
plan-problems = Problems:
plan-unlisted = { $count ->
    [one] { $count } portal user appears in no input (a leaver? a row with no access and --prune removes access)
   *[other] { $count } portal users appear in no input (leavers? a row with no access and --prune removes access)
}:
plan-unlisted-more = … and { $count } more (--report plan.json lists them all)
plan-no-changes = No changes: the portal already matches the inputs.
implicit-mark = { $dossier } (implicit)

md-plan-title = proone-sync plan `{ $fingerprint }`
md-organisation = Organisation: { $organisation } — mode: { $mode }
md-summary-header = | create users | dossier grants | structure grants | dossier revocations | structure revocations | implicit | unchanged people | invalid rows | warnings |
md-held = A mass-change guard tripped: apply holds { $held ->
    [one] { $held } action
   *[other] { $held } actions
} for approval and applies the rest.
md-changes = Changes
md-changes-header = | # | person | change | rows |
md-new = (new)
md-problems = Problems
md-problems-header = | severity | code | where | problem | hint |
md-unlisted = Portal users in no input ({ $count })

csv-fingerprint = fingerprint
csv-id = id
csv-op = op
csv-email = email
csv-user-id = user_id
csv-dossier = dossier
csv-dossier-label = dossier_label
csv-structure = structure
csv-structure-name = structure_name
csv-city = city
csv-depends-on = depends_on
csv-sources = sources

plan-leavers = Leavers ({ $count }): in no input (authoritative scope), they lose every explicit dossier and structure:
plan-leaver = { $name } <{ $email }> { $user }: dossiers { $dossiers }; structures { $structures }
md-leavers = Leavers ({ $count })
md-leavers-intro = In no input (authoritative scope): each loses every explicit dossier and structure.
md-leavers-header = | person | user | dossiers lost | structures lost |
csv-leaver = leaver
csv-yes = yes
