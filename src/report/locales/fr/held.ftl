# Changements retenus : l'avis du plan retenu (ticket, rapport, e-mail), held, approve, reject.

held-save-portal = les actions retenues n'ont pas pu être enregistrées pour approbation : { $error }
held-save-portal-hint = relancez quand le portail répond : le garde-fou les retiendra à nouveau
held-rejected = { $count ->
    [one] { $count } action qu'un garde-fou retient forme
   *[other] { $count } actions qu'un garde-fou retient forment
} le plan retenu { $fingerprint }, rejeté par { $by } le { $at } : { $count ->
    [one] elle est laissée
   *[other] elles sont laissées
} de côté
md-held-rejected = Changements retenus rejetés
held-cannot-save = { $dir } : impossible d'enregistrer le plan retenu (détail technique : « { $error } »)
held-cannot-save-hint = vérifiez le dossier d'état (disque plein ?)
held-saved = { $count ->
    [one] { $count } changement retenu
   *[other] { $count } changements retenus
} pour approbation : plan { $fingerprint }. Examinez { $page }, puis : { $command }
md-held-title = Retenu pour approbation : `{ $fingerprint }`
md-held-body = Un garde-fou a sauté : { $count ->
    [one] { $count } action n'a pas été appliquée et attend
   *[other] { $count } actions n'ont pas été appliquées et attendent
} une approbation ({ $create ->
    [one] { $create } création d'utilisateur
   *[other] { $create } créations d'utilisateur
}, { $grant_dossier ->
    [one] { $grant_dossier } dossier donné
   *[other] { $grant_dossier } dossiers donnés
}, { $grant_structure ->
    [one] { $grant_structure } milieu d'accueil donné
   *[other] { $grant_structure } milieux d'accueil donnés
}, { $revoke_dossier ->
    [one] { $revoke_dossier } dossier retiré
   *[other] { $revoke_dossier } dossiers retirés
}, { $revoke_structure ->
    [one] { $revoke_structure } milieu d'accueil retiré
   *[other] { $revoke_structure } milieux d'accueil retirés
}).
md-held-review = Examiner : `{ $page }`
md-held-approve = Approuver (la prochaine exécution l'applique) : `{ $command }`
md-held-reject = Rejeter : `{ $command }`

held-state-pending = en attente
held-state-approved = approuvé
held-state-applied = appliqué
held-state-rejected = rejeté
held-state-superseded = remplacé
held-state-stale = périmé
state-dir-unreadable = { $dir } : impossible de lire le dossier d'état (détail technique : « { $error } »)
state-dir-unreadable-hint = vérifiez state_dir dans la configuration (et que vous pouvez le lire : sudo -u <son propriétaire>)
held-none = Aucun plan retenu dans { $dir }.
held-header-fingerprint = empreinte
held-header-state = état
held-header-created = retenu le
held-header-age = âge
held-header-actions = actions
held-approved-by = approuvé par { $by } le { $at }
held-review-then = Examinez la page d'un plan en attente ({ $page }), puis : { $command }
held-owner = { $dir } : le dossier d'état appartient à { $owner } : lancez { $verb } sous cet utilisateur
held-find-hint = proone-sync held donne les plans retenus et leurs empreintes
held-find-short = « { $given } » : un début d'empreinte a au moins 8 caractères
held-find-unknown = { $given } : aucun plan retenu n'a cette empreinte
held-find-ambiguous = { $given } : plusieurs plans retenus commencent ainsi : { $matches }
held-not-now = le plan retenu { $fingerprint } est « { $state } » : il n'est pas { $verb ->
    [approve] approuvé
   *[reject] rejeté
}
held-newer-hint = un plan retenu plus récent le remplace : proone-sync held
held-states-hint = proone-sync held dit où en est chaque plan
held-edited-hint = un plan retenu n'est jamais modifié : laissez la prochaine exécution le retenir à nouveau
why-approve = un plan retenu est vérifié auprès du portail avant d'être approuvé
approve-stale = le plan retenu { $fingerprint } est périmé ({ $count ->
    [one] { $count } changement
   *[other] { $count } changements
} ci-dessus depuis qu'il a été retenu) : il n'est pas approuvé
approve-stale-hint = la prochaine exécution retient ce qui reste à faire dans un nouveau plan à examiner
approve-cannot-record = { $dir } : impossible d'enregistrer l'approbation (détail technique : « { $error } »)
approved = Plan retenu { $fingerprint } ({ $count ->
    [one] { $count } action
   *[other] { $count } actions
}) approuvé par { $by } : la prochaine exécution l'applique en premier.
reject-cannot-record = impossible d'enregistrer le rejet (détail technique : « { $error } »)
rejected = Plan retenu { $fingerprint } rejeté par { $by } : ses actions sont laissées de côté, et ne sont plus retenues ni signalées tant que le portail reste tel quel.
