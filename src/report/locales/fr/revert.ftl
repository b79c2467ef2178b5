# revert : le plan qui défait une exécution (evidence.md « Revert a run ») — sa section dans
# chaque rapport, et ce que disent plan --revert et apply --revert.

mode-revert = annulation
html-mode-revert = annulation (défait ce qu'une exécution a écrit)
revert-title = Annulation de { $run } ({ $phases }), comparée avec { $against }
revert-every-phase = toutes les phases
revert-phase = phase { $phase }
revert-against-history = l'historique
revert-against-journal = son journal et le portail seulement
revert-counts = { $superseded ->
    [one] { $superseded } élément laissé tel quel
   *[other] { $superseded } éléments laissés tels quels
} (modifiés depuis : voir les problèmes), { $undone ->
    [one] { $undone } déjà remis par une annulation précédente
   *[other] { $undone } déjà remis par une annulation précédente
}
revert-created-title = Créés par cette exécution ({ $count }) : le portail ne peut pas supprimer un utilisateur ; chacun reste, avec ce que l'annulation ne retire pas :
revert-created-line = { $name } <{ $email }> { $user } : garde les dossiers { $dossiers } ; milieux d'accueil { $structures }
revert-created-gone = { $name } <{ $email }> { $user } : n'est plus sur le portail
revert-gone = n'est plus sur le portail
md-revert-title = Annulation de { $run }
md-revert-created = Créés par cette exécution ({ $count })
md-revert-created-intro = Le portail ne peut pas supprimer un utilisateur : chacun reste, avec ce que l'annulation ne retire pas.
md-revert-created-header = | personne | utilisateur | dossiers gardés | milieux d'accueil gardés |
revert-csv-created = créé par l'exécution

revert-run-unknown = { $run } : aucune exécution de ce nom dans { $dir }
revert-journal-gone = { $run } : son journal { $journal } n'existe plus (supprimé après retention_days) : ce qu'elle a écrit n'est plus connu
revert-oldest-hint = la plus ancienne exécution qu'on peut encore annuler est { $oldest } (proone-sync runs les liste)
revert-none-hint = aucune exécution de ce dossier d'état ne peut être annulée (proone-sync runs les liste)
revert-journal-unreadable = { $path } : ce journal ne peut pas être lu : { $error }
revert-no-phase = { $run } a { $count ->
    [one] { $count } phase
   *[other] { $count } phases
} : il n'y a pas de phase { $phase }
revert-no-phase-hint = proone-sync runs liste les phases de chaque exécution dans l'ordre ; --phase les compte à partir de 1
revert-store-unusable = l'historique ne peut pas répondre ({ $why }) : l'annulation est comparée avec le journal de l'exécution et le portail seulement
revert-no-changes = Rien à défaire : ce que l'exécution a écrit est déjà défait, ou a été modifié depuis.
