## Access review campaigns (evidence.md "Access review campaigns").

problem-review-sheet-in-inputs = this is an access review sheet, not a staff list: it is not read
hint-review-sheet-in-inputs = give it to `proone-sync review collect`, and keep it out of the staff files
problem-review-self = the reviewer { $email } is on the sheet of { $structure } they decide: their own row is marked
hint-review-self = a reviewer does not decide their own access: a decision on this row is not taken, and the coordinator is the one to ask for a change

review-keep = Keep
review-remove = Remove
review-col-user = User id
review-col-last-name = Last name
review-col-first-name = First name
review-col-email = Email
review-col-dossiers = Scoped dossiers
review-col-since = Since
review-col-decision = Decision
review-col-comment = Comment
review-col-note = Note
review-campaign-line = Access review campaign { $campaign } · structure { $structure } · { $name } ({ $city })
review-note-caller = the account proone-sync acts as: not to decide
review-note-admin = administrateur: sees every structure it holds; not to decide here
review-note-self = this is you: leave it blank (your own access is not decided here; ask the coordinator)
review-decision-input = Keep or Remove; leave blank if you do not know
review-decision-error = choose Keep or Remove from the list, or leave the cell blank
review-apart-title = Listed apart, not to decide:
review-sheet-name = Review
review-instructions-sheet = Instructions
review-instructions-title = Access review of { $structure } ({ $name })
review-instructions-1 = The « Review » sheet lists everyone who can see the children's files of this structure today.
review-instructions-2 = For each person, choose « { $keep } » if they still need this access, « { $remove } » if they do not.
review-instructions-3 = Leave the decision blank if you do not know: a blank decision removes nothing.
review-instructions-4 = Do not add, remove or reorder rows, and do not change the first two lines; write any remark in the Comment column.
review-instructions-5 = Please send the sheet back by { $due }.
review-instructions-6 = Campaign: { $campaign }.

why-review = to read who can see each structure
review-structure-unknown = no such structure in the organisation: { $structures }
review-structure-unknown-hint = give structure ids as the portal has them (export writes the list)
review-record-failed = the campaign cannot be recorded: { $error }
review-send-failed = the send command failed for the sheet of { $structure }: { $why }
review-send-stopped = the send command for the sheet of { $structure } was stopped after { $secs } s
review-send-hint = send it again with: proone-sync review send { $campaign } --structure { $structure }
review-sheet-exists = { $path } is already there (a sheet of an earlier campaign?): nothing was written, no campaign started
review-sheet-exists-hint = give review start another --out folder, or move the earlier sheets away
review-send-nobody = the sheet of { $structure } has no reviewer and there is no coordinator: not sent
review-send-nobody-hint = name one in [review] reviewers or [review] coordinator, or hand the sheet out from its folder
review-sheet-changed = { $path } is no longer the sheet campaign { $campaign } wrote (changed or replaced since): not sent
review-sheet-changed-hint = send the sheet by hand, or start a new campaign in another folder
review-send-closed = campaign { $campaign } was closed on { $closed }: its sheets are no longer sent
review-started = campaign { $campaign }: { $sheets ->
    [one] { $sheets } sheet
   *[other] { $sheets } sheets
}, due { $due }
review-sheet-line = { $structure }: { $people ->
    [one] { $people } person
   *[other] { $people } people
} to decide, reviewer { $reviewer }, { $file }
review-no-reviewer = none (hand it out yourself)
review-no-send = no send command is configured
review-no-send-hint = set [review] send in the config file, or hand the sheet out from its folder
review-campaign-none = { $campaign }: no such campaign
review-campaign-bad = { $path }: not a campaign record ({ $detail })
review-campaign-io = { $path }: { $error }
review-campaign-unreadable-hint = the campaigns are the review-rev-….json files of the state directory
review-sent = campaign { $campaign }: the sheet of { $structure } was sent

problem-review-decision-invalid = the decision { $value } is neither Keep nor Remove (Garder nor Retirer): no answer is taken for this person
hint-review-decision-invalid = choose Keep or Remove from the list, or leave the cell blank, and collect the sheet again
problem-review-row-unknown = { $user } was not on this sheet: the row is not read
hint-review-row-unknown = rows are not added to a review sheet; a person who should be reviewed is added to the staff list
problem-review-row-apart = { $user } is listed apart, not to decide here (an administrateur, or the account proone-sync acts as): the decision on its row is not read
hint-review-row-apart = leave the rows listed apart blank; an administrateur's access is decided by whoever manages the profiles
problem-review-row-twice = { $user } has a second row: only the first row's decision is read
hint-review-row-twice = keep one row per person, as the sheet was made
problem-review-self-decided = this is the reviewer's own row: their own access is not decided on their own sheet, so the decision { $value } is not taken (no answer)
hint-review-self-decided = leave the reviewer's own row blank; a change to their access is asked of the coordinator
problem-review-no-campaign = this is not a review sheet: no campaign is named above the header
hint-review-campaign-unknown = collect the sheets of an open campaign as they were sent (review status lists them)
problem-review-campaign-closed = the campaign { $campaign } is closed: its answers are no longer taken
problem-review-campaign-unknown = no campaign { $campaign } for this sheet in the state directory
problem-review-sheet-too-large = the sheet has more rows than its campaign listed plus 50 ({ $max } at most): it is refused whole
hint-review-sheet-too-large = send back the sheet as it was made, with a decision in each row
problem-review-workbook-too-large = the file holds far more than a review sheet can (over { $mib } MiB): it is refused whole, unread
review-collected = campaign { $campaign }, { $structure }: { $keep } keep, { $remove } remove, { $none } without an answer ({ $file })
review-closed = campaign { $campaign } is closed: no more answers are taken
review-file-unreadable = { $path }: cannot read it: { $error }

mode-review = access review
html-mode-review = access review (the removals reviewers decided)
problem-review-stale = { $who }'s access to { $structure } changed since the review sheet was made: this removal is left out
hint-review-stale = ask the reviewer again in a new campaign if the access should still go
problem-review-structure-orphaned = after these removals, nobody but administrateurs can see { $structure }
hint-review-structure-orphaned = make sure someone on site still needs no access, or grant it to the person who takes over

review-status-campaign = campaign { $campaign } (started { $started }, due { $due }, closed: { $closed ->
        [yes] yes
       *[other] no
    })
review-status-answered = answered on { $day }: { $keep } keep, { $remove } remove
review-status-overdue = overdue, no answer (coordinator: { $coordinator })
review-status-blank-overdue = returned on { $day } with no decision: overdue (coordinator: { $coordinator })
review-status-line = { $structure }: { $reviewer }: { $state }
review-status-sent = sent, no answer yet
review-status-waiting = not sent, no answer yet
review-status-none = no review campaign in the state directory
review-overdue-line = the review sheet of { $structure } (campaign { $campaign }) is past its due day with no answer; coordinator: { $coordinator }
problem-review-sheet-applied = the answers for { $structure } were applied by { $run }: this file is not taken
hint-review-sheet-applied = a new review of this structure is a new campaign (review start --structure)

review-report-extensions = the campaign's report is .xlsx, .html or .md
review-report-title = Access review campaign { $campaign }
review-report-dates = started { $started }, due { $due }
review-report-closed = closed { $closed }
review-report-coordinator = coordinator: { $coordinator }
review-report-sheets = Sheets
review-report-decisions = Decisions
review-col-structure = Structure
review-col-name = Name
review-col-reviewer = Reviewer
review-col-sent = Sent
review-col-people = People to decide
review-col-answered = Answered
review-col-file-sha256 = File SHA-256
review-col-applied-by = Applied by run
review-col-day = Day
review-yes = yes
review-no = no
review-report-files = Files returned
review-col-file = File
review-col-keep = Keep
review-col-remove = Remove
review-col-none = No answer
review-col-standing = Standing
review-replaced = replaced by a later file
review-since-before = before { $day }
problem-guard-review = guard: { $revocations ->
    [one] { $revocations } removal
   *[other] { $revocations } removals
}, more than max_revocations ({ $max }) or 10 % of the { $managed ->
    [one] { $managed } grant
   *[other] { $managed } grants
} the people this review touches hold now
hint-guard-review-hold = apply --review holds these removals for approval (proone-sync held, then approve or reject); check the answers with review status
hint-guard-review-stop = check the answers with review status; if they are right, run again with --allow-mass-change
problem-review-redone = the next nightly run would give { $who } access to { $structure } again: this row of the staff list asks for it
hint-review-redone = tell HR to change or remove this row before the next night, or the removal is undone
problem-review-redone-unchecked = no inputs were given or configured: whether the next nightly run would give these accesses back is not checked
hint-review-redone-unchecked = give the staff list (plan --review CAMPAIGN staff.xlsx) or set inputs in the config file
review-report-for-hr = For HR
review-col-staff-row = Staff list row
review-no-changes = Nothing to remove: no "Remove" answer is waiting to be applied, or the access changed since the sheet was made.
review-no-coordinator = none is configured
review-reviewer-unknown = [review.reviewers] names { $structure }, which the portal does not have: no sheet is made for that reviewer
