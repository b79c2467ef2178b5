# La page HTML d'examen, pour la personne qui approuve.

html-no-change-chart = Aucune attribution ni révocation.
html-by-structure = Par milieu d'accueil
html-by-dossier = Par dossier
html-more-structures = … et { $count ->
    [one] { $count } autre milieu d'accueil
   *[other] { $count } autres milieux d'accueil
} (filtre ci-dessous).
html-held-mark = { $what } (retenu pour approbation)
html-guard-stops = Un garde-fou a sauté : ce plan ne sera pas appliqué sans --allow-mass-change (voir les problèmes).
html-guard-holds = Un garde-fou a sauté : { $count ->
    [one] { $count } changement marqué « retenu » attend
   *[other] { $count } changements marqués « retenu » attendent
} une approbation (proone-sync held, puis approve ou reject) ; le reste est appliqué.
html-changes = Attributions et révocations
html-no-changes = Aucun changement : le portail correspond déjà aux fichiers.
html-footer = proone-sync { $version } · plan { $fingerprint } · les numéros de registre national sont masqués
html-mode-additive = ajout (n'enlève rien)
html-mode-prune = élagage (enlève ce que les fichiers ne donnent pas)
html-title = Plan { $fingerprint } — { $organisation }
html-heading = Plan proone-sync
html-meta = { $organisation } · mode { $mode } · empreinte
html-meta-approve = c'est elle qu'on approuve, et qu'on retrouve dans le journal de l'application.
html-card-created = Personnes créées
html-card-dossiers = Dossiers attribués
html-card-structures = Milieux d'accueil attribués
html-card-revocations = Révocations
html-card-implicit = Implicites (administrateur)
html-card-unchanged = Personnes inchangées
html-card-invalid = Lignes invalides
html-card-warnings = Avertissements
html-by-person = Par personne ({ $count } avec des changements)
html-noscript = Les filtres demandent JavaScript ; tout est affiché.
html-filter-structure = Milieu d'accueil
html-filter-dossier = Dossier
html-filter-action = Action
html-filter-all-f = toutes
html-filter-all-m = tous
html-kind-create = création
html-kind-grant = attribution
html-kind-revoke = révocation
html-people-unit = { $count ->
    [one] personne
   *[other] personnes
  }
html-new-person = nouvelle personne
html-dossiers = Dossiers : { $before } → { $after }
html-structures = Milieux d'accueil : { $before } → { $after }
html-col-action = Action
html-col-sources = Lignes sources
html-create-user = créer l'utilisateur
html-action-dossier = dossier « { $item } »
html-action-structure = milieu d'accueil { $item }
html-problems = Problèmes ({ $count })
html-none = Aucun.
html-col-severity = Gravité
html-col-where = Où
html-col-code = Code
html-col-problem = Problème
html-col-hint = Comment corriger
html-unlisted = Utilisateurs du portail absents des fichiers ({ $count })
html-unlisted-meta = C'est ici qu'apparaissent les départs : une ligne sans accès et --prune retire leurs accès.
html-card-leavers = Départs
html-leavers = Départs ({ $count })
html-leavers-meta = Absents de tous les fichiers (périmètre faisant autorité) : chacun perd chaque dossier et milieu d'accueil explicite ci-dessous.
html-leaver-loses = Perd : dossiers { $dossiers } ; milieux d'accueil { $structures }
html-legend-grants = attributions
html-legend-revocations = révocations
