# `proone-sync history` (evidence.md "`proone-sync history`"): the answers and their refusals.

## The command line
history-report-extensions = use .xlsx, .csv, .html or .md
history-bad-day = "{ $value }": expected a day as YYYY-MM-DD
history-until-before-since = --until { $until } is before --since { $since }
history-dossier-unknown = --dossier "{ $dossier }": no such dossier
history-dossier-unknown-hint = the closest: { $closest }
history-structure-unknown = --structure "{ $structure }": the history knows no structure by that id or name
history-structure-unknown-hint = give its id (MA-00101), as `export` or `template` list them
history-structure-ambiguous = --structure "{ $structure }": several structures have that name
history-structure-ambiguous-hint = give one of their ids: { $ids }
history-stdin-unreadable = --person -: cannot read a line from stdin: { $error }
history-person-prompt = Who (an NRN, e-mail, user id or full name), then Enter:
history-person-empty = --person: nobody named (an empty value or an empty line on stdin)
history-person-empty-hint = give a user id, an e-mail, a full name or an NRN (`echo … | proone-sync history --person -`)
history-nrn-invalid = --person: { $nrn } is not a valid national register number
history-nrn-on-command-line = an NRN given on the command line stays in the shell's history and in process lists
history-nrn-on-command-line-hint = give it on stdin instead: --person - (then type or pipe it)
why-history-nrn = an NRN is looked up among the portal's current users (read-only)
history-nrn-unknown = no current portal user has the NRN { $nrn }
history-nrn-unknown-hint = the history keeps no NRN: ask by e-mail, user id or name for someone no longer in the portal
history-person-unknown = nobody in the history matches "{ $person }"
history-person-unknown-hint = give a user id, an e-mail, a full name (either order) or an NRN
history-person-ambiguous = "{ $person }" names { $count } people in the history:
history-person-ambiguous-hint = ask again with the user id or the e-mail of the one you mean
history-person-not-recorded = the history holds nothing about the portal user { $id }
history-missing = { $path } does not exist: no apply has recorded the history yet
history-missing-hint = the history begins with the next apply; until then nothing can be answered in full
history-store-older = { $path } was written by an older proone-sync (schema { $found }): it cannot be read until it is migrated
history-store-older-hint = the next apply migrates it; ask again after it
history-store-newer = { $path } was written by a newer proone-sync (schema { $found }): this one cannot read it
history-store-newer-hint = use the proone-sync that wrote it (the version of the nightly apply)
history-store-unreadable = cannot read the history store: { $error }
history-store-unreadable-hint = check the state directory's rights (run as its owner) and that the file is the store
history-cannot-render = cannot write the answer as CSV: { $error }
history-incomplete-note = this answer is not complete: the history did not observe the whole period asked about (see "complete" and "observed")

## --verify
history-verified = verified from { $from } ({ $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
}, { $anchors ->
    [one] { $anchors } journal anchor
   *[other] { $anchors } journal anchors
})
history-verify-nothing = nothing to verify: the history holds no run yet
history-breaks = the history breaks at run { $run } ({ $why })
history-break-why = { $why ->
    [row-edited] a change it recorded was edited
    [run-edited] its record, or the list of its changes, was edited
    [chain-broken] its link to the run before it does not match
    [anchor-differs] its journal's end line anchors another head
    [run-missing] its journal anchors it, and the store no longer holds it
    [row-orphaned] a change belongs to no run of the chain
    [interval-inconsistent] an interval no longer matches the changes it is made of
    [store-missing] its journal anchors a history store that no longer exists
   *[other] { $why }
}

## The answers
history-title-person = Access of { $name }
history-title-person-unknown = Access of a person
history-title-on = Who could see { $subject } on { $day }
history-title-drift = Changes made by hand in the portal, newest first
history-subject-structure = the structure { $structure }
history-subject-dossier = the dossier { $dossier }
history-covers = The history covers { $first } to { $last }.
history-incomplete = This answer is not complete: the history observed only from { $first } to { $last }, not the whole period asked about.
history-nothing-observed = The history has observed nothing yet (no apply has recorded it): it cannot say who had access.
history-between = Narrowed to { $since } – { $until }.
history-from = Narrowed to { $since } and after.
history-to = Narrowed to { $until } and before.
history-nrn = National register number: { $nrn }
history-person-nothing = No dossier or structure in the history for this period.
history-interval-open = since { $since }, still held
history-interval-closed = from { $since } to { $until }
history-began = began: { $how }
history-ended = ended: { $how }
history-by-job = by the job in { $run } ({ $op })
history-rows = input rows { $rows }
history-approved-by = approved by { $by }
history-by-hand-between = by hand in the portal, between { $after } and { $seen }
history-by-hand-seen = by hand in the portal, seen by { $seen }
history-before-history = held before the history began
history-still-held = still held
history-implicit = { $dossier } (implicit: administrateur)
history-profile = profile { $profile }
history-op = { $op ->
    [create_user] user created
    [grant_dossier] dossier granted
    [revoke_dossier] dossier revoked
    [grant_structure] structure granted
    [revoke_structure] structure removed
    [grant_profile] profile granted
    [revoke_profile] profile removed
   *[other] { $op }
}
history-holder = { $who }: { $dossiers }; since { $since }
history-uncertain = (not certain: the access began or ended between two observations around that day)
history-uncertain-note = "Not certain": the access began or ended between two observations around that day, so it may have covered it. For a privacy question the answer includes them.
history-on-nobody = Nobody could see it that day.
history-on-unknown = The history cannot say who could see it that day: it did not observe all of it.
history-drift-line = { $at }  { $who }: { $op }: { $item } — { $how }
history-drift-none = No change made by hand was seen.
history-drift-unknown = No change made by hand was seen in what the history observed; it cannot say whether there were others in the rest of the period.
history-yes = yes
history-no = no

## Columns and sheets
history-sheet-access = Access
history-sheet-on = Holders
history-sheet-drift = Changes by hand
history-sheet-answer = Answer
history-col-user-id = User id
history-col-email = E-mail
history-col-last-name = Last name
history-col-first-name = First name
history-col-person = Person
history-col-kind = Kind
history-col-item = Item
history-col-label = Dossier or structure
history-col-since = Since
history-col-until = Until
history-col-began = How it began
history-col-ended = How it ended
history-col-complete = History complete
history-col-day = Day
history-col-subject = Asked about
history-col-dossiers = Dossiers
history-col-implicit = Implicit
history-col-certain = Certain
history-col-seen = Seen at
history-col-op = Op
history-col-change = Change
history-col-how = How
history-col-after-run = After run
history-col-seen-at-run = Seen at run
history-kind-dossier = dossier
history-kind-structure = structure

## The answer to an access request (GDPR article 15)
history-art15-title = Answer to an access request (GDPR article 15): access to the PRO.ONE portal
history-art15-day = Answered on { $day }.
history-art15-who = Person: { $name }, e-mail { $email }, portal user id { $id }.
history-art15-what = Below: each dossier and each structure (childcare place) of the portal this person could see, from when to when, and why.
history-art15-why = "By the job": the nightly synchronisation from the staff spreadsheets (its run, the spreadsheet rows that asked for it, and who approved it when it was held for approval). "By hand": a change made in the portal's web page between two runs of the job. "Held before the history began": access the person already had when the history started.
