# Sheets for people: the problems sheet of check --report.

problems-sheet = Problems
problems-col-file = File
problems-col-sheet = Sheet
problems-col-row = Row
problems-col-column = Column
problems-col-severity = Severity
problems-col-value = Value
problems-col-code = Code
problems-col-message = Problem
problems-col-hint = How to fix it
