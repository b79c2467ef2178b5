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

## The export and the template
sheet-people = Staff
sheet-structures = Structures (reference)
sheet-instructions = Instructions
col-last-name = Last name
col-first-name = First name
col-email = Email
col-nrn = NRN
col-consent = Consent
col-dossiers = Dossiers
col-structures = Structures
col-structure-id = Id
col-structure-name = Name
col-postal-code = Postal code
col-city = City
structures-note = The organisation's structures (milieux d'accueil): write the id (column A) in the Structures column.
consent-yes = yes
consent-no = no
consent-title = Consent
consent-input = yes: the person gave their consent (required to create them)
consent-error = Choose yes or no from the list.
mark-input = x to grant this dossier, empty otherwise
mark-error = Put x to grant the dossier, or leave it empty.
structure-input = The structure's id (list); several: separated by commas
structure-error = This id is not in the list of structures. Several structures: separate them with commas.
instructions-title = proone-sync template — access to the PRO.ONE portal
instructions-1 = 1. One row per person in the « { $sheet } » sheet. A person may have several rows: their access adds up.
instructions-2 = 2. Last name, First name and Email are required to create a person, as are the NRN (national register number, 11 digits, with or without dots and dashes) and Consent « yes ».
instructions-3 = 3. For a person already on the portal, the Email or the NRN is enough to recognise them.
instructions-4 = 4. Dossiers: put « x » in the column of each dossier to grant (Pré-demandes, Bilans, Mon équipe…). Leave it empty otherwise.
instructions-5 = 5. Structures: choose the structure's id (milieu d'accueil) from the list (sheet « { $reference } »). Several structures: one row per structure, or the ids separated by commas.
instructions-6 = 6. Pré-demandes and Bilans apply to all the person's structures (one list of structures per person on the portal).
instructions-7 = 7. Do not rename the column titles. Empty rows are ignored.
instructions-8 = 8. Check the file with « proone-sync check template.xlsx », then « proone-sync plan template.xlsx » shows what would change on the portal.
instructions-nrn = The NRN is personal data: share this file only with the people who need it.
