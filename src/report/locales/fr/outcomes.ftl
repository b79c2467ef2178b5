# apply : ce que chaque action a changé et pourquoi elle s'est terminée ainsi (les codes du
# journal, rendus).

target-dossier = dossier { $code }
target-structure = milieu d'accueil { $id }
target-user = utilisateur { $name }, numéro de registre national { $nrn }
target-user-plain = utilisateur

reason-internal-error = erreur interne (détail technique : « { $detail } »)
reason-already-in-effect = déjà en place avant cette exécution
reason-already-exists = { $user } existe déjà avec le numéro de registre national et l'e-mail du plan
reason-dependency-cycle = ses dépendances ne se sont jamais exécutées (elles dépendent l'une de l'autre)
reason-dependency-failed = l'action { $action } dont elle dépend a échoué
reason-no-user-id = pas d'identifiant d'utilisateur : le plan n'en donne pas et ne crée personne
reason-no-person-data = le plan ne contient pas les données de la personne à créer
reason-bad-idempotency-key = la clé d'idempotence n'est pas une valeur d'en-tête valide
reason-no-item = l'action ne nomme ni dossier ni milieu d'accueil
reason-interrupted-before-sent = interrompue avant d'être envoyée
reason-interrupted-between-tries = interrompue entre deux essais : on ne saura qu'à la prochaine exécution si elle a pris effet
reason-created-unreadable = le portail a créé l'utilisateur mais sa réponse est illisible (détail technique : « { $detail } ») ; la prochaine exécution le retrouvera
reason-conflict-without-user = 409 sans existing_user_id (réponse du portail : « { $detail } »)
reason-adopted-same-nrn = déjà sur le portail sous { $user } (même numéro de registre national ; conflit sur { $conflict }) : repris
reason-email-of-another = l'e-mail { $email } appartient à une autre personne sur le portail ({ $user }, numéro de registre national { $nrn }) : pas repris ; corrigez le tableur ou le portail
reason-conflict-unreadable = conflit 409 sur { $conflict } avec { $user }, qui n'a pas pu être lu (détail technique : « { $detail } »)
reason-refused = HTTP { $status } (réponse du portail : « { $detail } »)
reason-portal-unreachable = le portail n'a pas pu être joint (détail technique : « { $detail } »)
reason-portal-bad-answer = la réponse du portail n'est pas celle que l'API promet (détail technique : « { $detail } »)
reason-portal-certificate = le certificat TLS du portail n'est pas reconnu : { $detail }
reason-portal-interrupted = interrompue avant que l'appel puisse être (r)envoyé
reason-portal-client = erreur interne (détail technique : « { $detail } »)

progress-failed = échec : { $target } : { $reason }
progress-line = avancement : { $finished }/{ $total } ({ $percent } %), { $failed } en échec, { $rate }/s, fin dans { $eta }
progress-bar-failed = { $failed } en échec

tally = { $done ->
    [one] { $done } faite
   *[other] { $done } faites
}, { $in_effect } déjà en place, { $adopted ->
    [one] { $adopted } reprise
   *[other] { $adopted } reprises
}, { $failed } en échec, { $skipped ->
    [one] { $skipped } sautée
   *[other] { $skipped } sautées
}
tally-interrupted = , { $interrupted ->
    [one] { $interrupted } interrompue
   *[other] { $interrupted } interrompues
}, { $not_run ->
    [one] { $not_run } non commencée
   *[other] { $not_run } non commencées
}
apply-done = Plan { $fingerprint } appliqué à { $organisation } en { $secs } s : { $tally }
apply-calls = { $requests ->
    [one] { $requests } appel au portail
   *[other] { $requests } appels au portail
} ({ $retries ->
    [one] { $retries } réessayé
   *[other] { $retries } réessayés
}, { $limited ->
    [one] { $limited } réponse 429
   *[other] { $limited } réponses 429
})
apply-failed = En échec :
apply-failed-group = { $count } × { $reason }
apply-failed-more = { $first } et { $more } de plus
apply-other-reasons = … { $count ->
    [one] { $count } autre raison
   *[other] { $count } autres raisons
} (voir le rapport)
apply-skipped = { $count ->
    [one] Sautée : { $count } action d'une personne dont la création a échoué
   *[other] Sautées : { $count } actions de personnes dont la création a échoué
}
apply-interrupted = Interrompu : les appels en cours se sont terminés ; relancez la même commande pour finir (elle converge).
apply-journal = Journal : { $path }

md-apply-title = Application du plan proone-sync `{ $fingerprint }`
md-apply-organisation = Organisation
md-apply-portal = Portail
md-apply-mode = Mode
md-apply-source = Source
md-apply-started = Début
md-apply-finished = Fin
md-apply-result = Résultat
md-apply-actions = Actions
md-apply-outcomes = Résultats
md-apply-calls = Appels au portail
md-apply-calls-value = { $requests } ({ $retries ->
    [one] { $retries } réessayé
   *[other] { $retries } réessayés
}, { $limited ->
    [one] { $limited } réponse 429
   *[other] { $limited } réponses 429
})
md-apply-journal = Journal
md-apply-failed = En échec
md-apply-skipped = Sautées
md-apply-adopted = Reprises
md-apply-interrupted = Interrompues
md-apply-outcomes-header = | action | opération | personne | objet | HTTP | raison |

stale-other-portal = le plan a été fait pour le portail { $planned }, cette exécution parle à { $now }
stale-other-organisation = le plan a été fait pour l'organisation { $planned_name } ({ $planned_id }), le jeton agit pour { $now_name } ({ $now_id })
stale-user-gone = { $user } : n'est plus sur le portail
stale-user-changed = { $user } ({ $email }) : { $items }
stale-dossier-added = dossier { $item } ajouté en dehors du plan
stale-dossier-removed = dossier { $item } retiré en dehors du plan
stale-structure-added = milieu d'accueil { $item } ajouté en dehors du plan
stale-structure-removed = milieu d'accueil { $item } retiré en dehors du plan
stale-version = version { $from } → { $to } pour { $applied ->
    [one] { $applied } changement
   *[other] { $applied } changements
} du plan (autre chose a changé : nom, e-mail ou profil)
stale-creation-taken = { $name } (à créer) : { $who }
stale-nrn-taken = son numéro de registre national ({ $nrn }) appartient maintenant à { $user }
stale-email-taken = son e-mail { $email } appartient maintenant à { $user }
stale-and = { " " }et{ " " }
stale-changed = changement : { $change }
