# apply : ce que la commande dit au terminal et dans le journal de cron.

lock-held-hint = attendez la fin de cette exécution ; un verrou laissé par un processus mort se libère de lui-même
state-dir-hint = vérifiez le dossier d'état (state_dir dans la configuration)
nothing-to-change = Rien à changer : le portail a déjà ce que le plan demande.
held-record-failed = impossible d'enregistrer le plan retenu { $fingerprint } comme { $state } : { $error }
applying-held-first = Application d'abord du plan retenu { $fingerprint }, approuvé par { $by }.
approved-stale = { $path } : le plan retenu approuvé { $fingerprint } est périmé ({ $count ->
    [one] { $count } changement
   *[other] { $count } changements
} ci-dessus depuis qu'il a été retenu) : rien n'en est appliqué
approved-stale-hint = examinez ce que l'exécution retient maintenant (proone-sync held) et approuvez celui-là
md-approved-stale = Plan retenu approuvé `{ $fingerprint }` refusé : périmé
md-approved-stale-body = Le portail a changé depuis qu'il a été retenu ; rien n'en a été appliqué. Changements :
fingerprint-mismatch = l'empreinte du plan est { $fingerprint }, pas l'empreinte approuvée { $expected } : rien n'est appliqué
fingerprint-mismatch-hint = revoyez le plan (proone-sync plan), ou appliquez celui qui a été approuvé avec --plan
already-in-effect = ({ $count ->
    [one] { $count } action du plan déjà en place
   *[other] { $count } actions du plan déjà en place
})
summary-portal = portail : { $portal }
held-now = Un garde-fou a sauté : { $held ->
    [one] { $held } changement est retenu
   *[other] { $held } changements sont retenus
} pour approbation, le reste est appliqué.
more-problems = … et { $count ->
    [one] { $count } problème
   *[other] { $count } problèmes
} de plus : `proone-sync plan` les donne tous
no-terminal = pas de terminal pour confirmer : rien n'est appliqué
no-terminal-hint = examinez le plan (proone-sync plan), puis lancez apply avec --yes
confirm = Appliquer { $count ->
    [one] { $count } changement
   *[other] { $count } changements
} à { $organisation } ? Tapez oui pour continuer :{ " " }
nothing-applied = Rien n'a été appliqué.
interrupted-now = interruption : les appels en cours se terminent, puis le journal est écrit (Ctrl-C encore une fois arrête tout de suite)
guard-stopped = un garde-fou a sauté (ci-dessus) : rien n'est appliqué
guard-stopped-hint = vérifiez que le tableur est complet et juste ; si le changement est voulu, relancez avec --allow-mass-change (max_revocations et max_creations sont dans la configuration)
strict-plan = --strict : le plan a des erreurs : rien n'est appliqué
fix-and-rerun = corrigez les problèmes ci-dessus et relancez
plan-unreadable = { $path } : impossible de lire le plan (détail technique : « { $error } »)
plan-not-saved = { $path } : { $error }
plan-not-saved-hint = enregistrez un plan avec `proone-sync plan --out PLAN`
plan-refused = { $path } : { $error } ; rien n'est appliqué
plan-refused-hint = faites et examinez un nouveau plan
why-saved-plan = un plan enregistré est vérifié auprès du portail
saved-guard = { $path } : ce plan a fait sauter un garde-fou quand il a été fait : rien n'est appliqué
saved-guard-hint = si le changement est voulu, relancez avec --allow-mass-change
plan-stale = { $path } : le plan est périmé ({ $count ->
    [one] { $count } changement
   *[other] { $count } changements
} ci-dessus depuis qu'il a été fait) : rien n'est appliqué
plan-stale-hint = faites et examinez un nouveau plan d'après le portail tel qu'il est maintenant
held-not-approved = { $path } : ce plan retenu est « { $state } », pas approuvé : rien n'est appliqué
held-not-approved-hint = approuvez-le d'abord : { $command }
held-elsewhere = { $path } : un plan retenu qui n'est pas dans le dossier d'état { $dir } : rien n'est appliqué
held-elsewhere-hint = appliquez les plans retenus avec la configuration qui les a retenus, après proone-sync approve
journal-cannot-start = { $dir } : impossible d'écrire le journal (détail technique : « { $error } ») : rien n'est appliqué
journal-stopped = le journal { $journal } n'a pas pu être écrit après sa ligne { $lines } (détail technique : « { $error } ») ; aucun nouvel appel n'a été lancé, et ce qui s'est terminé après cette ligne est affiché ci-dessus
journal-stopped-hint = libérez de la place dans le dossier d'état ; la prochaine exécution converge à partir de ce que le portail contient
journal-cannot-write = le journal ne peut pas être écrit (détail technique : « { $error } »)
free-space-hint = libérez de la place dans le dossier d'état
portal-stopped = le portail ne répond plus ({ $down } actions de suite n'ont pas pu le joindre ; { $not_run ->
    [one] { $not_run } non commencée
   *[other] { $not_run } non commencées
})
portal-stopped-hint = relancez quand le portail répond : ce qui est fait reste fait, le reste converge
report-unwritable = { $path } : impossible d'écrire le rapport (détail technique : « { $error } »)
journal-end-unwritable = la dernière ligne du journal ne peut pas être écrite (détail technique : « { $error } »)
notify-failed = la commande de notification a échoué (« { $why } ») ; le code de sortie reste { $exit }
notify-failed-hint = essayez la commande à la main avec un rapport sur l'entrée standard
notify-stopped = la commande de notification a été arrêtée après { $secs } s ; le code de sortie reste { $exit }
notify-stopped-hint = une commande de notification doit finir vite (mail, msmtp, curl avec --max-time)
metrics-unwritable = { $path } : impossible d'écrire les métriques (détail technique : « { $error } »)
metrics-unwritable-hint = vérifiez metrics_file dans la configuration (et ReadWritePaths sous systemd)
md-run-title = proone-sync apply { $time } : code de sortie { $exit }
md-run-events = ({ $events })
md-run-invalid = { $count ->
    [one] { $count } ligne des fichiers était invalide et a été ignorée : `proone-sync check` la montre.
   *[other] { $count } lignes des fichiers étaient invalides et ont été ignorées : `proone-sync check` les montre.
}
