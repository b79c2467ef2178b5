# check: the problems by file, then a summary.

severity-error = error
severity-warning = warning
severity-note = note
hint-line = hint: { $hint }
place-file = (file)
check-summary = { $files ->
    [one] { $files } file
   *[other] { $files } files
}, { $sheets ->
    [one] { $sheets } sheet
   *[other] { $sheets } sheets
}, { $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
}, { $people ->
    [one] { $people } person
   *[other] { $people } people
}: { $errors ->
    [one] { $errors } error
   *[other] { $errors } errors
}, { $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}, { $notes ->
    [one] { $notes } note
   *[other] { $notes } notes
}
check-invalid-skipped = { $count ->
    [one] ({ $count } invalid row skipped)
   *[other] ({ $count } invalid rows skipped)
}
