# The commands' other lines: inputs, reports, the portal's configuration, export, template.

no-input = no input: name spreadsheets on the command line or `inputs` in the config file
input-unreadable = an input cannot be read: nothing planned
strict-inputs = --strict: the inputs have errors: nothing planned
strict-check = --strict: { $count ->
    [one] { $count } error
   *[other] { $count } errors
} in the inputs
fix-and-rerun-short = fix the problems and run again
why-plan = a plan needs the portal's current state
report-extensions-plan = use .json, .md, .csv, .html or .txt
report-extensions-check = use .xlsx or .csv
report-no-format = --report { $path }: no report format for that extension
report-cannot-write = { $path }: cannot write the report: { $error }
plan-cannot-save = { $path }: cannot save the plan: { $error }
plan-guard = a mass-change guard tripped (see the problems): apply would refuse this plan
plan-guard-hint = check that the inputs are complete; if the change is intended, use --allow-mass-change
strict-plan-problems = --strict: the plan has errors (see the problems)
no-portal-check = no portal configured (--portal-url, PROONE_URL, [portal] url or [portal.emulator]): structures were not checked against it
no-portal = no portal configured: { $why }
no-portal-hint = set --portal-url, PROONE_URL or [portal] url (or [portal.emulator] for the built-in one)
no-runtime = cannot start the runtime: { $error }
output-unwritable = cannot write the output: { $error }
output-unwritable-hint = check where the output goes (a full disk?)
hint-prefix = hint: { $hint }
export-extension = --out { $path }: export writes .xlsx or .csv
why-export = export reads the portal
export-unknown-dossier = { $user }: a dossier outside the catalogue, not exported (it cannot be read back)
cannot-build-workbook = { $path }: cannot build the workbook: { $error }
cannot-build-csv = { $path }: cannot build the CSV: { $error }
cannot-write-file = { $path }: cannot write it: { $error }
exported = { $path }: { $count ->
    [one] { $count } user
   *[other] { $count } users
} of { $organisation } ({ $id })
exported-with-nrn = { $path }: { $count ->
    [one] { $count } user
   *[other] { $count } users
} of { $organisation } ({ $id }), with whole NRNs (file mode 0600)
template-extension = --out { $path }: the template is an .xlsx workbook
why-template = the template lists the portal's structures
template-written = { $path }: template with { $dossiers ->
    [one] { $dossiers } dossier column
   *[other] { $dossiers } dossier columns
} and { $structures ->
    [one] { $structures } structure
   *[other] { $structures } structures
} of { $organisation }
token-mode = its mode is { $mode }: group or others may read it
token-empty = it is empty
internal-error = internal error: { $detail }
internal-error-report = please report it, with the command line (not the token) that caused it

## The config file
config-unreadable = { $path }: cannot read it: { $error }
config-invalid = { $path }: { $issue }
config-invalid-line = { $path }: line { $line }: { $issue }
config-toml = { $detail }
config-whole-number = { $key } must be a whole number from { $min } to { $max }
config-rate-limit = { $key } must be a number of requests per second, 0 or more
config-timeout = portal.timeout_secs must be a number of seconds above 0
config-unknown-field = [input.aliases] "{ $key }" is not a field; the fields are { $fields }
bad-today = --today "{ $value }": expected a date as YYYY-MM-DD
