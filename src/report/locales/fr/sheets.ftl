# Feuilles pour les personnes : la feuille des problèmes de check --report.

problems-sheet = Problèmes
problems-col-file = Fichier
problems-col-sheet = Feuille
problems-col-row = Ligne
problems-col-column = Colonne
problems-col-severity = Gravité
problems-col-value = Valeur
problems-col-code = Code
problems-col-message = Problème
problems-col-hint = Comment corriger

## L'export et le modèle
sheet-people = Personnel
sheet-structures = Structures (référence)
sheet-instructions = Instructions
col-last-name = Nom
col-first-name = Prénom
col-email = Email
col-nrn = NRN
col-consent = Consentement
col-dossiers = Dossiers
col-structures = Structures
col-structure-id = Identifiant
col-structure-name = Dénomination
col-postal-code = Code postal
col-city = Localité
structures-note = Les milieux d'accueil de l'organisation : écrivez l'identifiant (colonne A) dans la colonne Structures.
consent-yes = oui
consent-no = non
consent-title = Consentement
consent-input = oui : la personne a donné son consentement (obligatoire pour la créer)
consent-error = Choisissez oui ou non dans la liste.
mark-input = x pour donner ce dossier, vide sinon
mark-error = Mettez x pour donner le dossier, ou laissez vide.
structure-input = Identifiant du milieu d'accueil (liste) ; plusieurs : séparés par des virgules
structure-error = Cet identifiant n'est pas dans la liste des structures. Plusieurs structures : séparez-les par des virgules.
instructions-title = Modèle proone-sync — accès au portail PRO.ONE
instructions-1 = 1. Une ligne par personne dans la feuille « { $sheet } ». Une personne peut avoir plusieurs lignes : ses accès s'additionnent.
instructions-2 = 2. Nom, Prénom et Email sont obligatoires pour créer une personne, ainsi que le NRN (numéro de registre national, 11 chiffres, avec ou sans points et tirets) et le Consentement « oui ».
instructions-3 = 3. Pour une personne déjà présente sur le portail, l'Email ou le NRN suffit à la reconnaître.
instructions-4 = 4. Dossiers : mettez « x » dans la colonne de chaque dossier à donner (Pré-demandes, Bilans, Mon équipe…). Laissez vide sinon.
instructions-5 = 5. Structures : choisissez l'identifiant du milieu d'accueil dans la liste (feuille « { $reference } »). Plusieurs structures : une ligne par structure, ou les identifiants séparés par des virgules.
instructions-6 = 6. Pré-demandes et Bilans valent pour toutes les structures de la personne (une seule liste de structures par personne sur le portail).
instructions-7 = 7. Ne renommez pas les titres de colonnes. Les lignes vides sont ignorées.
instructions-8 = 8. Vérifiez le fichier avec « proone-sync check modele.xlsx », puis « proone-sync plan modele.xlsx » montre ce qui changerait sur le portail.
instructions-nrn = Le NRN est une donnée personnelle : ne partagez ce fichier qu'avec les personnes qui en ont besoin.
