# plan : le résumé, les personnes et leurs changements, les problèmes, les utilisateurs absents
# des fichiers ; le ticket Markdown et le CSV pour Excel.

mode-additive = ajout
mode-prune = élagage
plan-title = Plan { $fingerprint } (mode { $mode }) pour { $organisation }
plan-counts = { $create ->
    [one] { $create } utilisateur à créer
   *[other] { $create } utilisateurs à créer
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
}
plan-counts-more = { $implicit ->
    [one] { $implicit } implicite
   *[other] { $implicit } implicites
} (Pré-demandes de l'administrateur), { $unchanged ->
    [one] { $unchanged } personne inchangée
   *[other] { $unchanged } personnes inchangées
}, { $invalid ->
    [one] { $invalid } ligne invalide ignorée
   *[other] { $invalid } lignes invalides ignorées
}, { $warnings ->
    [one] { $warnings } avertissement
   *[other] { $warnings } avertissements
}
plan-held = { $held ->
    [one] { $held } changement retenu pour approbation par apply (un garde-fou a sauté : voir les problèmes)
   *[other] { $held } changements retenus pour approbation par apply (un garde-fou a sauté : voir les problèmes)
}
plan-new-user = nouvel utilisateur
plan-dossiers = dossiers :   { $before } → { $after }
plan-structures = milieux d'accueil : { $before } → { $after }
plan-create-user = créer l'utilisateur
plan-held-mark = (retenu pour approbation)
plan-problems = Problèmes :
plan-unlisted = { $count ->
    [one] { $count } utilisateur du portail n'apparaît dans aucun fichier (un départ ? une ligne sans accès et --prune retire ses accès) :
   *[other] { $count } utilisateurs du portail n'apparaissent dans aucun fichier (des départs ? une ligne sans accès et --prune retire leurs accès) :
}
plan-unlisted-more = … et { $count } de plus (--report plan.json les donne tous)
plan-no-changes = Aucun changement : le portail correspond déjà aux fichiers.
implicit-mark = { $dossier } (implicite)

md-plan-title = Plan proone-sync `{ $fingerprint }`
md-organisation = Organisation : { $organisation } — mode : { $mode }
md-summary-header = | utilisateurs à créer | dossiers donnés | milieux d'accueil donnés | dossiers retirés | milieux d'accueil retirés | implicites | personnes inchangées | lignes invalides | avertissements |
md-held = Un garde-fou a sauté : apply retient { $held ->
    [one] { $held } changement
   *[other] { $held } changements
} pour approbation et applique le reste.
md-changes = Changements
md-changes-header = | # | personne | changement | lignes |
md-new = (nouvelle)
md-problems = Problèmes
md-problems-header = | gravité | code | où | problème | indice |
md-unlisted = Utilisateurs du portail absents des fichiers ({ $count })

csv-fingerprint = empreinte
csv-id = n°
csv-op = opération
csv-email = e-mail
csv-user-id = utilisateur
csv-dossier = dossier
csv-dossier-label = libellé du dossier
csv-structure = milieu d'accueil
csv-structure-name = nom du milieu d'accueil
csv-city = localité
csv-depends-on = dépend de
csv-sources = lignes sources

plan-leavers = Départs ({ $count }) : absents de tous les fichiers (périmètre faisant autorité), ils perdent chaque dossier et milieu d'accueil explicite :
plan-leaver = { $name } <{ $email }> { $user } : dossiers { $dossiers } ; milieux d'accueil { $structures }
md-leavers = Départs ({ $count })
md-leavers-intro = Absents de tous les fichiers (périmètre faisant autorité) : chacun perd chaque dossier et milieu d'accueil explicite.
md-leavers-header = | personne | utilisateur | dossiers retirés | milieux d'accueil retirés |
csv-leaver = départ
csv-yes = oui
