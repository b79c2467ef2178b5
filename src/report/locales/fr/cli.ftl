# Les autres lignes des commandes : entrées, rapports, configuration du portail, export, modèle.

no-input = aucune entrée : nommez des tableurs sur la ligne de commande ou `inputs` dans la configuration
input-unreadable = un fichier d'entrée ne peut pas être lu : rien n'est planifié
strict-inputs = --strict : les fichiers ont des erreurs : rien n'est planifié
strict-check = --strict : { $count ->
    [one] { $count } erreur
   *[other] { $count } erreurs
} dans les fichiers
fix-and-rerun-short = corrigez les problèmes et relancez
why-plan = un plan a besoin de l'état actuel du portail
report-extensions-plan = utilisez .json, .md, .csv, .html ou .txt
report-extensions-check = utilisez .xlsx ou .csv
report-no-format = --report { $path } : aucun format de rapport pour cette extension
report-cannot-write = { $path } : impossible d'écrire le rapport (détail technique : « { $error } »)
plan-cannot-save = { $path } : impossible d'enregistrer le plan (détail technique : « { $error } »)
plan-guard = un garde-fou a sauté (voir les problèmes) : apply refuserait ce plan
plan-guard-hint = vérifiez que les fichiers sont complets ; si le changement est voulu, utilisez --allow-mass-change
strict-plan-problems = --strict : le plan a des erreurs (voir les problèmes)
no-portal-check = aucun portail configuré (--portal-url, PROONE_URL, [portal] url ou [portal.emulator]) : les milieux d'accueil n'ont pas été vérifiés auprès de lui
no-portal = aucun portail configuré : { $why }
no-portal-hint = indiquez --portal-url, PROONE_URL ou [portal] url (ou [portal.emulator] pour celui qui est intégré)
no-runtime = impossible de démarrer l'environnement d'exécution (détail technique : « { $error } »)
output-unwritable = impossible d'écrire la sortie (détail technique : « { $error } »)
output-unwritable-hint = vérifiez où va la sortie (disque plein ?)
hint-prefix = indice : { $hint }
export-extension = --out { $path } : export écrit du .xlsx ou du .csv
why-export = export lit le portail
export-unknown-dossier = { $user } : un dossier hors du catalogue, non exporté (il ne pourrait pas être relu)
cannot-build-workbook = { $path } : impossible de construire le classeur (détail technique : « { $error } »)
cannot-build-csv = { $path } : impossible de construire le CSV (détail technique : « { $error } »)
cannot-write-file = { $path } : impossible de l'écrire (détail technique : « { $error } »)
exported = { $path } : { $count ->
    [one] { $count } utilisateur
   *[other] { $count } utilisateurs
} de { $organisation } ({ $id })
exported-with-nrn = { $path } : { $count ->
    [one] { $count } utilisateur
   *[other] { $count } utilisateurs
} de { $organisation } ({ $id }), avec les numéros de registre national entiers (fichier en mode 0600)
template-extension = --out { $path } : le modèle est un classeur .xlsx
why-template = le modèle donne les milieux d'accueil du portail
template-written = { $path } : modèle avec { $dossiers ->
    [one] { $dossiers } colonne de dossier
   *[other] { $dossiers } colonnes de dossier
} et { $structures ->
    [one] { $structures } milieu d'accueil
   *[other] { $structures } milieux d'accueil
} de { $organisation }
token-mode = son mode est { $mode } : le groupe ou les autres peuvent le lire
token-empty = il est vide
internal-error = erreur interne (détail technique : « { $detail } »)
internal-error-report = merci de la signaler, avec la ligne de commande (pas le jeton) qui l'a causée

## Le fichier de configuration
config-unreadable = { $path } : impossible de le lire (détail technique : « { $error } »)
config-invalid = { $path } : { $issue }
config-invalid-line = { $path } : ligne { $line } : { $issue }
config-toml = erreur de syntaxe TOML (détail technique : « { $detail } »)
config-whole-number = { $key } doit être un nombre entier de { $min } à { $max }
config-rate-limit = { $key } doit être un nombre de requêtes par seconde, 0 ou plus
config-timeout = portal.timeout_secs doit être un nombre de secondes supérieur à 0
config-unknown-field = [input.aliases] « { $key } » n'est pas un champ ; les champs sont { $fields }
bad-today = --today « { $value } » : une date AAAA-MM-JJ est attendue
