# `proone-sync history` (evidence.md « `proone-sync history` ») : les réponses et leurs refus.

## La ligne de commande
history-report-extensions = utilisez .xlsx, .csv, .html ou .md
history-bad-day = « { $value } » : un jour est attendu, au format AAAA-MM-JJ
history-until-before-since = --until { $until } précède --since { $since }
history-dossier-unknown = --dossier « { $dossier } » : ce dossier n'existe pas
history-dossier-unknown-hint = les plus proches : { $closest }
history-structure-unknown = --structure « { $structure } » : l'historique ne connaît aucun milieu d'accueil de cet identifiant ou de ce nom
history-structure-unknown-hint = donnez son identifiant (MA-00101), tel que `export` ou `template` les listent
history-structure-ambiguous = --structure « { $structure } » : plusieurs milieux d'accueil portent ce nom
history-structure-ambiguous-hint = donnez l'un de leurs identifiants : { $ids }
history-stdin-unreadable = --person - : impossible de lire une ligne sur l'entrée standard : { $error }
history-person-prompt = Qui (un NRN, un e-mail, un identifiant ou un nom complet), puis Entrée :
history-person-empty = --person : personne n'est désigné (valeur vide ou ligne vide sur l'entrée standard)
history-person-empty-hint = donnez un identifiant d'utilisateur, un e-mail, un nom complet ou un NRN (`echo … | proone-sync history --person -`)
history-nrn-invalid = --person : { $nrn } n'est pas un numéro de registre national valide
history-nrn-on-command-line = un NRN donné sur la ligne de commande reste dans l'historique du shell et dans la liste des processus
history-nrn-on-command-line-hint = donnez-le plutôt sur l'entrée standard : --person - (puis tapez-le ou envoyez-le par un tube)
why-history-nrn = un NRN est recherché parmi les utilisateurs actuels du portail (en lecture seule)
history-nrn-unknown = aucun utilisateur actuel du portail n'a le NRN { $nrn }
history-nrn-unknown-hint = l'historique ne garde aucun NRN : pour une personne qui n'est plus dans le portail, demandez par e-mail, identifiant ou nom
history-person-unknown = personne dans l'historique ne correspond à « { $person } »
history-person-unknown-hint = donnez un identifiant d'utilisateur, un e-mail, un nom complet (dans un ordre ou l'autre) ou un NRN
history-person-ambiguous = « { $person } » désigne { $count } personnes dans l'historique :
history-person-ambiguous-hint = demandez à nouveau avec l'identifiant ou l'e-mail de la bonne personne
history-person-not-recorded = l'historique ne contient rien sur l'utilisateur { $id } du portail
history-missing = { $path } n'existe pas : aucun apply n'a encore enregistré l'historique
history-missing-hint = l'historique commence avec le prochain apply ; d'ici là, rien ne peut recevoir de réponse complète
history-store-older = { $path } a été écrit par une version plus ancienne de proone-sync (schéma { $found }) : il ne peut être lu avant d'être migré
history-store-older-hint = le prochain apply le migre ; demandez à nouveau après lui
history-store-newer = { $path } a été écrit par une version plus récente de proone-sync (schéma { $found }) : celle-ci ne peut pas le lire
history-store-newer-hint = utilisez le proone-sync qui l'a écrit (la version de l'apply de nuit)
history-store-unreadable = impossible de lire l'historique : { $error }
history-store-unreadable-hint = vérifiez les droits sur le dossier d'état (lancez en tant que son propriétaire) et que le fichier est bien l'historique
history-cannot-render = impossible d'écrire la réponse en CSV : { $error }
history-incomplete-note = cette réponse n'est pas complète : l'historique n'a pas observé toute la période demandée (voir « complete » et « observed »)

## --verify
history-verified = vérifié depuis { $from } ({ $runs ->
    [one] { $runs } exécution
   *[other] { $runs } exécutions
}, { $anchors ->
    [one] { $anchors } ancre de journal
   *[other] { $anchors } ancres de journaux
})
history-verify-nothing = rien à vérifier : l'historique ne contient encore aucune exécution
history-breaks = l'historique est rompu à l'exécution { $run } ({ $why })
history-break-why = { $why ->
    [row-edited] un changement qu'elle a enregistré a été modifié
    [run-edited] son enregistrement, ou la liste de ses changements, a été modifié
    [chain-broken] son lien avec l'exécution précédente ne correspond pas
    [anchor-differs] la ligne de fin de son journal ancre une autre tête
    [run-missing] son journal l'ancre, et l'historique ne la contient plus
    [row-orphaned] un changement n'appartient à aucune exécution de la chaîne
    [interval-inconsistent] une période ne correspond plus aux changements qui la composent
    [store-missing] son journal ancre un historique qui n'existe plus
   *[other] { $why }
}

## Les réponses
history-title-person = Accès de { $name }
history-title-person-unknown = Accès d'une personne
history-title-on = Qui pouvait voir { $subject } le { $day }
history-title-drift = Changements faits à la main dans le portail, du plus récent au plus ancien
history-subject-structure = le milieu d'accueil { $structure }
history-subject-dossier = le dossier { $dossier }
history-covers = L'historique couvre la période du { $first } au { $last }.
history-incomplete = Cette réponse n'est pas complète : l'historique n'a observé que du { $first } au { $last }, pas toute la période demandée.
history-nothing-observed = L'historique n'a encore rien observé (aucun apply ne l'a enregistré) : il ne peut pas dire qui avait accès.
history-between = Limité à la période du { $since } au { $until }.
history-from = Limité au { $since } et après.
history-to = Limité au { $until } et avant.
history-nrn = Numéro de registre national : { $nrn }
history-person-nothing = Aucun dossier ni milieu d'accueil dans l'historique pour cette période.
history-interval-open = depuis le { $since }, toujours en cours
history-interval-closed = du { $since } au { $until }
history-began = début : { $how }
history-ended = fin : { $how }
history-by-job = par la synchronisation lors de { $run } ({ $op })
history-rows = lignes { $rows }
history-approved-by = approuvé par { $by }
history-by-hand-between = à la main dans le portail, entre { $after } et { $seen }
history-by-hand-seen = à la main dans le portail, constaté par { $seen }
history-before-history = déjà détenu avant le début de l'historique
history-still-held = toujours en cours
history-implicit = { $dossier } (implicite : administrateur)
history-profile = profil { $profile }
history-op = { $op ->
    [create_user] utilisateur créé
    [grant_dossier] dossier accordé
    [revoke_dossier] dossier retiré
    [grant_structure] milieu d'accueil accordé
    [revoke_structure] milieu d'accueil retiré
    [grant_profile] profil accordé
    [revoke_profile] profil retiré
   *[other] { $op }
}
history-holder = { $who } : { $dossiers } ; depuis le { $since }
history-uncertain = (pas certain : l'accès a commencé ou pris fin entre deux observations autour de ce jour)
history-uncertain-note = « Pas certain » : l'accès a commencé ou pris fin entre deux observations autour de ce jour ; il a donc pu le couvrir. Pour une question de vie privée, la réponse inclut ces personnes.
history-on-nobody = Personne ne pouvait le voir ce jour-là.
history-on-unknown = L'historique ne peut pas dire qui pouvait le voir ce jour-là : il n'a pas observé toute la journée.
history-drift-line = { $at }  { $who } : { $op } : { $item } — { $how }
history-drift-none = Aucun changement fait à la main n'a été constaté.
history-drift-unknown = Aucun changement fait à la main n'a été constaté dans ce que l'historique a observé ; il ne peut rien dire du reste de la période.
history-yes = oui
history-no = non

## Colonnes et feuilles
history-sheet-access = Accès
history-sheet-on = Personnes
history-sheet-drift = Changements à la main
history-sheet-answer = Réponse
history-col-user-id = Identifiant
history-col-email = E-mail
history-col-last-name = Nom
history-col-first-name = Prénom
history-col-person = Personne
history-col-kind = Type
history-col-item = Élément
history-col-label = Dossier ou milieu d'accueil
history-col-since = Depuis
history-col-until = Jusqu'au
history-col-began = Comment il a commencé
history-col-ended = Comment il a pris fin
history-col-complete = Historique complet
history-col-day = Jour
history-col-subject = Objet de la question
history-col-dossiers = Dossiers
history-col-implicit = Implicite
history-col-certain = Certain
history-col-seen = Constaté le
history-col-op = Opération
history-col-change = Changement
history-col-how = Comment
history-col-after-run = Après l'exécution
history-col-seen-at-run = Constaté à l'exécution
history-kind-dossier = dossier
history-kind-structure = milieu d'accueil

## La réponse à une demande d'accès (RGPD, article 15)
history-art15-title = Réponse à une demande d'accès (RGPD, article 15) : accès au portail PRO.ONE
history-art15-day = Réponse donnée le { $day }.
history-art15-who = Personne : { $name }, e-mail { $email }, identifiant d'utilisateur du portail { $id }.
history-art15-what = Ci-dessous : chaque dossier et chaque milieu d'accueil du portail que cette personne pouvait voir, de quand à quand, et pourquoi.
history-art15-why = « Par la synchronisation » : la synchronisation de nuit depuis les tableaux du personnel (son exécution, les lignes du tableau qui l'ont demandé, et qui l'a approuvé quand il a été retenu pour approbation). « À la main » : un changement fait dans la page web du portail entre deux exécutions de la synchronisation. « Déjà détenu avant le début de l'historique » : un accès que la personne avait déjà quand l'historique a commencé.
