# Problems: the message and the hint of every problem code (inputs.md), with their parts.
# Arguments are values from the spreadsheets or the portal, already masked (NRNs).

## Fields of a row
field-last-name = last name
field-first-name = first name
field-email = e-mail
field-nrn = NRN
field-consent = consent
field-dossiers = dossiers
field-structures = structures
field-from = start date
field-until = end date

## Why a file cannot be read
unreadable-io = cannot open it: { $why }
unreadable-empty = the file is empty (0 bytes)
unreadable-not-text = it is not text: binary content in a .csv/.tsv/.txt file
unreadable-encrypted = it is password-protected (encrypted), or an old .xls file renamed
unreadable-damaged = it is not a readable spreadsheet (damaged or truncated?): { $why }
unreadable-too-large = sheet "{ $sheet }" has values spread over { $rows } rows × { $cols } columns ({ $cells } cells), more than this tool reads from an .ods sheet
unreadable-unsupported = "{ $ext }" is not a spreadsheet type this tool reads
unreadable-missing-part = the workbook has no { $part }: it is damaged, or not a workbook
unreadable-declared-too-many = { $part } declares { $declared } items where it has room for at most { $room }: the file is damaged
unreadable-declared-too-large = a sheet declares { $rows } rows × { $cols } columns ({ $cells } cells), more than this tool reads from an .xls sheet
unreadable-reader-failed = internal error: the spreadsheet reader failed on it ({ $why }); the file is probably damaged
unreadable-out-of-order = cells are not in row order

hint-unreadable-io = check the path and that the file is readable
hint-unreadable-empty = save the spreadsheet again, or remove it from the inputs
hint-unreadable-not-text = a workbook must be named .xlsx/.ods; save as CSV to use .csv
hint-unreadable-encrypted = remove the password (File › Info › Protect workbook) and save as .xlsx
hint-unreadable-damaged = open it in Excel or LibreOffice and save it again as .xlsx
hint-unreadable-too-large = delete the stray cells far from the table (Ctrl+End shows them) and save again
hint-unreadable-unsupported = use .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv or .txt

## Why an e-mail is not one
email-no-at = has no @
email-several-at = has more than one @
email-empty-local = has nothing before the @
email-bad-domain = has a domain that is not a domain name ("{ $domain }")
email-bad-character = holds '{ $char }', which an e-mail address cannot contain
email-too-long = is too long

## Why a start or end date is not a day
date-shape = is not a date written day first (day/month/year)
date-two-digit-year = has a two-digit year
date-no-such-month = has no month { $month } (the day comes first, then the month)
date-no-such-day = is a day that does not exist
date-number = is a number, not a date
date-no-day = is a time or a duration, not a day

## Why an NRN is not one
nrn-bad-character = holds '{ $char }', which is not a digit or a separator (space . - /)
nrn-length = has { $digits ->
    [one] { $digits } digit
   *[other] { $digits } digits
}; a national register number has 11
nrn-zero = is all zeros
nrn-checksum = has check digits that do not match (a mistyped digit?)
nrn-month = has month { $month }, which is not a possible birth month (01-12, +20 or +40 for a BIS number)
nrn-not-whole = is not a whole number ({ $value })

hint-nrn-bad-character = type the 11 digits, optionally as 85.07.30-033.28; letters are not allowed
hint-nrn-length = copy the number again from the identity card (11 digits)
hint-nrn-not-whole = type the 11 digits of the identity card, as text
hint-nrn-checksum = compare every digit with the identity card; the last two are check digits

## Identity clashes
clash-nrn-with-emails = NRN { $nrn } comes with { $count } e-mails ({ $emails })
clash-email-with-nrns = e-mail { $email } comes with { $count } NRNs ({ $nrns })

## Messages
problem-undescribed = internal error: a problem the tool has no sentence for ({ $kind })
problem-file-unreadable = cannot read this file: { $reason }
problem-lock-file-skipped = office lock file skipped
problem-folder-empty = this folder holds no spreadsheet: nothing was read from it
problem-sheet-hidden = hidden sheet skipped
problem-sheet-missing = no sheet named "{ $sheet }" in this file
problem-not-utf8 = not UTF-8: read as Windows-1252 (Excel's "CSV" save)
problem-no-header = no header row: sheet skipped
problem-nothing-read = nothing was read from this file: no sheet has a header row
problem-no-data = a header row but no data under it
problem-unknown-columns = columns ignored: { $columns }
problem-column-twice = a second « { $header } » column: ignored, column { $used } is used
problem-no-identity-column = this sheet has neither an NRN nor an e-mail column: its rows cannot name anyone
problem-value-past-header = a value ("{ $value }") past the last column of the header: the row may be shifted
problem-cell-error = { $field }: the cell shows an error ({ $error })
problem-value-control-character = "{ $value }" holds a control character (a NUL or another invisible byte): the cell is damaged
problem-email-invalid = e-mail "{ $email }" { $reason }
problem-consent-invalid = consent "{ $value }" is neither yes nor no
problem-mark-invalid = "{ $value }" in the « { $dossier } » column is not a mark
problem-dossier-unknown = unknown dossier "{ $value }"
problem-no-person = the row names nobody: it has no NRN and no e-mail
problem-nrn-invalid = NRN { $shown } { $reason }
problem-nrn-scientific = NRN { $shown } is in scientific notation: digits were lost
problem-nrn-date = NRN cell holds a date ({ $value }), not a number
problem-nrn-not-number = NRN cell holds { $value }, not a number
problem-nrn-padded = NRN had { $digits ->
    [one] { $digits } digit
   *[other] { $digits } digits
}: read as { $read_as } with { $added ->
    [one] { $added } leading zero
   *[other] { $added } leading zeros
} added
problem-date-invalid = { $field } "{ $value }" { $reason }
problem-date-order = the end date { $until } is before the start date { $from }
problem-identity-conflict = identity conflict: { $clashes } (rows { $rows })
problem-name-conflict = this row names the person "{ $this }", but { $first_at } names them "{ $first }"; the first is used
problem-structure-id-unknown = unknown structure id { $id }: no structure of the organisation has it
problem-structure-name-unknown = unknown structure "{ $name }"
problem-structure-not-there = no structure « { $name } » in { $place }
problem-structure-ambiguous = « { $name } » names { $count } structures: { $candidates }
problem-dossier-not-offered = the portal does not offer the dossier { $dossier } ({ $code })
problem-structures-unresolved = structures not resolved against the portal: { $refs }
problem-nrn-and-email-apart = the NRN { $nrn } is the portal user { $nrn_user } ({ $nrn_user_email }) but the e-mail { $email } is the portal user { $email_user }: nothing is done for this person
problem-email-has-other-nrn = the e-mail { $email } is the portal user { $user } whose NRN is { $user_nrn }, not { $nrn }: nothing is done for this person
problem-email-has-other-nrn-invalid = the e-mail { $email } is the portal user { $user } whose NRN is not a valid NRN, not { $nrn }: nothing is done for this person
problem-email-differs = the portal has this person (by NRN) as { $portal }, the inputs say { $inputs }
problem-name-differs = the portal names { $user } « { $portal } », the inputs « { $inputs } »
problem-prune-withheld = revocations withheld for { $email }: a row of this person is invalid ({ $dossiers ->
    [one] { $dossiers } dossier
   *[other] { $dossiers } dossiers
}, { $structures ->
    [one] { $structures } structure
   *[other] { $structures } structures
} kept)
problem-create-incomplete = { $person } is not on the portal and cannot be created: missing { $missing }
problem-consent-missing = consent missing: cannot create user { $person }
problem-wider-than-asked = wider than asked: one structure set serves every scoped dossier, so this person will also get { $pairs }
problem-wider-than-asked-rows = wider than asked: one structure set serves every scoped dossier, so this person will also get { $pairs } (rows { $rows })
wider-pair = { $dossier } on { $structures }
problem-scoped-without-structures = { $dossiers } without any structure: it gives access to nothing
problem-structures-without-scoped = structures without Pré-demandes or Bilans: they give access to nothing
problem-guard-revocations = guard: { $revocations ->
    [one] { $revocations } revocation
   *[other] { $revocations } revocations
}, more than max_revocations ({ $max }) or 10 % of the { $managed ->
    [one] { $managed } grant
   *[other] { $managed } grants
} the people of the inputs hold
problem-guard-creations = guard: { $creations ->
    [one] { $creations } user to create
   *[other] { $creations } users to create
}, more than max_creations ({ $max })

## Hints
hint-lock-file-skipped = it is not a spreadsheet; it exists while someone has the file open
hint-folder-empty = put the spreadsheets (.xlsx, .ods, .csv…) in it, or name the right folder
hint-sheet-hidden = name it in config ([input] sheets = [...]) to read it
hint-sheet-missing = its sheets are: { $sheets }
hint-not-utf8 = if accents look wrong, save as "CSV UTF-8" instead
hint-no-header = a sheet of lists or notes is fine; a sheet of people needs a header row naming at least two columns such as Nom, Prénom, Email, NRN, Dossiers
hint-nothing-read = the header row names at least two columns such as Nom, Prénom, Email, NRN, Dossiers, Structures (or a dossier such as Bilans)
hint-no-data = fill in one row per person under the header
hint-unknown-columns = only known columns are read; add an alias in config if one of these should be
hint-column-twice = delete or rename one of the two columns
hint-no-identity-column = add an Email or NRN column
hint-value-past-header = check for an extra separator in this row (a ';' inside a name needs quotes)
hint-cell-error = fix the formula or type the value
hint-value-control-character = type the value again in that cell
hint-email-invalid = write the whole address, e.g. prenom.nom@organisation.be
hint-consent-invalid = write oui or non (x, 1, yes, ja also mean yes; blank means no)
hint-mark-invalid = mark x (or oui, 1) to grant the dossier, leave the cell blank not to
hint-dossier-closest = did you mean « { $closest } »?
hint-dossier-list = the dossiers are: { $dossiers }
hint-no-person = fill in the e-mail or the national register number of the person
hint-nrn-scientific = format the column as Text in Excel and type the numbers again
hint-nrn-date = format the NRN column as Text and type the 11 digits again
hint-nrn-not-number = type the 11 digits of the national register number
hint-nrn-padded = Excel drops leading zeros: format the NRN column as Text
hint-date-invalid = write the day first, then the month and a four-digit year: « 30/06/2027 » (or 2027-06-30)
hint-date-no-such-day = check the day against the month (April, June, September and November have 30 days, February 28 or 29), written as « 30/06/2027 »
hint-date-two-digit-year = write the year with four digits: « 30/06/2027 »
hint-date-day-first = the day comes first, then the month: « 30/06/2027 » is 30 June 2027
hint-date-number = type the day as « 30/06/2027 », or format the cell as a date
hint-date-order = access holds from the start date to the end date, both included: swap or correct them, e.g. from « 01/04/2027 » to « 30/06/2027 »
hint-identity-conflict = one person has one NRN and one e-mail: correct the wrong row; nothing is done for this person until then
hint-name-conflict = make the rows of one person agree on the name
hint-structure-id-closest = did you mean { $closest }?
hint-structure-id-unknown = check the id in PRO.ONE (Administration › Milieux d'accueil)
hint-structure-name-unknown = write the structure's id (MA-…) or its name as PRO.ONE shows it
hint-structure-name-closest = did you mean { $closest }?
or = { " " }or{ " " }
hint-structure-not-there = « { $name } » is { $candidates }
hint-structure-ambiguous = write « { $name } ({ $postal_code }) » or « { $name } – { $city } », or the id
hint-dossier-not-offered = it cannot be granted there
hint-structures-unresolved = plan resolves structure names against the portal before planning
hint-nrn-and-email-apart = correct the NRN or the e-mail in the spreadsheet (or the portal)
hint-email-has-other-nrn = one of the two is somebody else's: correct the spreadsheet (or the portal)
hint-email-differs = v1 cannot change an e-mail: the portal's is kept
hint-name-differs = v1 cannot change a name: the portal's is kept
hint-prune-withheld = fix the invalid row; the next run revokes what the inputs do not give
hint-create-incomplete = give last name, first name, e-mail, NRN and consent on a row of this person
hint-consent-missing = the person's consent (« case du consentement ») must be marked oui on a row
hint-wider-than-asked = if that is not wanted, give this person the same structures for Pré-demandes and Bilans, or split the access
hint-scoped-without-structures = add the structures (milieux d'accueil) this person works for
hint-structures-without-scoped = add Pré-demandes or Bilans, or remove the structures
hint-guard-allowed = allowed by --allow-mass-change
hint-guard-hold = apply applies the rest and holds these for approval (proone-sync held, then approve or reject); check that the inputs are complete
hint-guard-stop = check that the inputs are complete (a truncated or wrong spreadsheet?); if this is intended, run again with --allow-mass-change

## Refusals: the portal, the lock, a saved plan
portal-no-token = no portal token: the environment variable { $var } is not set, no token_file is configured, and systemd gave no proone-token credential
portal-token-file = the token file { $path } cannot be used: { $why }
portal-bad-url = the portal URL "{ $url }" is not a valid http(s) URL
portal-unauthorized = the portal refused the token (401) at { $url }
portal-missing-profile = the account of this token ({ $email }) has neither the profile « Administrateur » nor « Gestion des utilisateurs » on PRO.ONE
portal-forbidden = the portal answered 403 (forbidden) at { $url }: { $detail }
portal-unreachable = the portal could not be reached at { $url } after { $attempts ->
    [one] { $attempts } try
   *[other] { $attempts } tries
}: { $last }
portal-status = the portal answered { $status } at { $url }: { $detail }
portal-bad-answer = the portal's answer at { $url } is not what the API promises: { $detail }
portal-interrupted = interrupted before the call to { $url } could be (re)sent (after { $attempts ->
    [one] { $attempts } try
   *[other] { $attempts } tries
})
portal-client = cannot set up the HTTP client: { $detail }
portal-certificate = the portal's TLS certificate is not trusted at { $url }: { $why }
portal-ca-file = the CA bundle { $path } (ca_file) cannot be used: { $why }
hint-portal-no-token = export the API token in that variable (or name another with --token-env); it is never read from a flag
hint-portal-token-file = the file must hold the token alone and be readable by its owner only, as ssh wants a key: chmod 600 it
hint-portal-bad-url = set portal.url in the config file, PROONE_URL, or --portal-url, e.g. https://portal.example/api/v1
hint-portal-unauthorized = the token is missing, mistyped or revoked: ask for a new one
hint-portal-missing-profile = an administrator of the organisation gives this account one of the two profiles in Administration › Utilisateurs
hint-portal-forbidden = check the profiles of the token's account
hint-portal-unreachable = check the URL and the network; the job retried with backoff before giving up
hint-portal-status = run again with -v to see the calls; report it if it persists
hint-portal-interrupted = run again: every change is idempotent, the next run finishes the job
hint-portal-client = report it: this is a setup problem of the tool
hint-portal-certificate = if the organisation uses its own certificate authority (a corporate proxy), add it to the system's store, point SSL_CERT_FILE at a PEM bundle, or set [portal] ca_file
hint-portal-ca-file = ca_file names a PEM file of one or more CA certificates (-----BEGIN CERTIFICATE-----)
lock-held = another run holds the state directory { $dir }: { $holder }
lock-io = { $path }: cannot take the lock: { $error }
saved-not-json = not JSON: { $detail }
saved-other-format = format "{ $format }": this version applies { $supported } only
saved-no-format = not a proone-sync plan (no "format")
saved-report = this is a report of a plan, not a saved plan: save one with `plan --out PLAN`
saved-damaged = damaged: { $detail }
saved-edited = its content does not give its fingerprint { $saved } (it gives { $recomputed }): the plan was changed after it was saved
saved-unknown-dossier = action { $action }: unknown dossier "{ $code }"
saved-bad-nrn = action { $action }: the NRN is not valid
saved-no-person = action { $action }: a creation without its person

problem-scope-incomplete = authoritative scope, but this input gave no person: no leaver is revoked ({ $leavers ->
    [one] { $leavers } portal user no input names keeps their access
   *[other] { $leavers } portal users no input names keep their access
} for now)
hint-scope-incomplete = a missing or emptied file must not look like a company that lost its staff: put the staff list back in it, or remove the file from the inputs

cert-untrusted-issuer = it is issued by an authority this machine does not trust
cert-expired = it has expired
cert-wrong-host = it is not for this host name
problem-email-changed = this ended row names the person { $ended }; { $current_at }, in effect or upcoming, names them { $current }: the current one is used
hint-email-changed = nothing to do if the address changed since; the ended row only ends what it gave
problem-access-ended = this row ended on { $until }, more than { $days } days ago ([dates] end_window_days): it no longer ends anything
hint-access-ended = remove the row when it is no longer useful; a grant made since stays

## A revert (evidence.md "Revert a run")
revert-item-dossier = dossier { $label }
revert-item-structure = structure { $id }
revert-by-hand = changed by hand between { $after } and { $seen }
revert-by-hand-seen = changed by hand, seen at { $seen }
revert-by-run = changed by { $run }
revert-by-portal = changed in the portal since the last run
revert-by-user-gone = the user is no longer on the portal
problem-revert-superseded-grant = { $who }: { $item }, granted by { $run }, was changed since ({ $by }): left as it is
problem-revert-superseded-revoke = { $who }: { $item }, revoked by { $run }, was changed since ({ $by }): left as it is
hint-revert-superseded = someone decided otherwise since; if it must go back too, do it in the portal or in the staff list
problem-revert-unrecorded = the history store covers from { $from } only, not { $run }: only that run's journal and the portal as it is now are compared, so a change made since and undone again is not seen
problem-revert-no-history = no history store records { $run }: only that run's journal and the portal as it is now are compared, so a change made since and undone again is not seen
hint-revert-unrecorded = read the plan with that in mind before applying it
problem-redone-grant = the next nightly run would grant { $item } to { $who } again: this row asks for it
hint-redone-grant = change or remove this row before the next night, or it undoes the revert
problem-redone-revoke = the next nightly run would revoke { $item } from { $who } again: this person's rows do not give it
hint-redone-revoke = add it to this person's row before the next night, or it undoes the revert
problem-redone-unchecked = no inputs were given or configured: whether the next nightly run would undo this revert is not checked
hint-redone-unchecked = give the staff list (plan --revert RUN staff.xlsx) or set inputs in the config file
problem-guard-revert = guard: { $revocations ->
    [one] { $revocations } revocation
   *[other] { $revocations } revocations
}, more than max_revocations ({ $max }) or 10 % of the { $managed ->
    [one] { $managed } grant
   *[other] { $managed } grants
} the users this revert touches hold now
hint-guard-revert-hold = apply --revert applies the grants and holds these revocations for approval (proone-sync held, then approve or reject); check that it is the run to undo
hint-guard-revert-stop = check that it is the run to undo; if so, run again with --allow-mass-change
