# The HTML review page, for the manager who approves.

html-no-change-chart = No grant or revocation.
html-by-structure = By structure
html-by-dossier = By dossier
html-more-structures = … and { $count ->
    [one] { $count } other structure
   *[other] { $count } other structures
} (filter below).
html-held-mark = { $what } (held for approval)
html-guard-stops = A guard tripped: this plan will not be applied without --allow-mass-change (see the problems).
html-guard-holds = A guard tripped: { $count ->
    [one] { $count } change marked “held” waits
   *[other] { $count } changes marked “held” wait
} for approval (proone-sync held, then approve or reject); the rest is applied.
html-changes = Grants and revocations
html-no-changes = No changes: the portal already matches the inputs.
html-footer = proone-sync { $version } · plan { $fingerprint } · NRNs are masked
html-mode-additive = additive (removes nothing)
html-mode-prune = prune (removes what the inputs do not give)
html-title = Plan { $fingerprint } — { $organisation }
html-heading = proone-sync plan
html-meta = { $organisation } · mode { $mode } · fingerprint
html-meta-approve = this is what is approved, and what the apply's journal shows.
html-card-created = People created
html-card-dossiers = Dossiers granted
html-card-structures = Structures granted
html-card-revocations = Revocations
html-card-implicit = Implicit (administrateur)
html-card-unchanged = People unchanged
html-card-invalid = Invalid rows
html-card-warnings = Warnings
html-by-person = By person ({ $count } with changes)
html-noscript = The filters need JavaScript; everything is shown.
html-filter-structure = Structure
html-filter-dossier = Dossier
html-filter-action = Action
html-filter-all-f = all
html-filter-all-m = all
html-kind-create = creation
html-kind-grant = grant
html-kind-revoke = revocation
html-people-unit = { $count ->
    [one] person
   *[other] people
  }
html-new-person = new person
html-dossiers = Dossiers: { $before } → { $after }
html-structures = Structures: { $before } → { $after }
html-col-action = Action
html-col-sources = Source rows
html-create-user = create the user
html-action-dossier = dossier « { $item } »
html-action-structure = structure { $item }
html-problems = Problems ({ $count })
html-none = None.
html-col-severity = Severity
html-col-where = Where
html-col-code = Code
html-col-problem = Problem
html-col-hint = How to fix it
html-unlisted = Portal users in no input ({ $count })
html-unlisted-meta = Leavers show up here: a row with no access and --prune removes their access.
html-card-leavers = Leavers
html-leavers = Leavers ({ $count })
html-leavers-meta = In no input (authoritative scope): each loses every explicit dossier and structure below.
html-leaver-loses = Loses: dossiers { $dossiers }; structures { $structures }
html-legend-grants = grants
html-legend-revocations = revocations
