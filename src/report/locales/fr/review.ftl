## Campagnes de revue d'accès (evidence.md « Access review campaigns »).

problem-review-sheet-in-inputs = ceci est une feuille de revue d'accès, pas une liste du personnel : elle n'est pas lue
hint-review-sheet-in-inputs = donnez-la à `proone-sync review collect` et gardez-la hors des fichiers du personnel
problem-review-self = la personne qui revoit { $email } figure sur la feuille de { $structure } qu'elle décide : sa propre ligne est marquée
hint-review-self = on ne décide pas de son propre accès : une décision sur cette ligne n'est pas retenue, et c'est au coordinateur qu'on demande un changement

review-keep = Garder
review-remove = Retirer
review-col-user = Id utilisateur
review-col-last-name = Nom
review-col-first-name = Prénom
review-col-email = Email
review-col-dossiers = Dossiers par structure
review-col-since = Depuis
review-col-decision = Décision
review-col-comment = Commentaire
review-col-note = Remarque
review-campaign-line = Campagne de revue d'accès { $campaign } · structure { $structure } · { $name } ({ $city })
review-note-caller = le compte avec lequel proone-sync agit : pas à décider
review-note-admin = administrateur : voit toute structure qu'il détient ; pas à décider ici
review-note-self = c'est vous : laissez vide (votre propre accès ne se décide pas ici ; adressez-vous au coordinateur)
review-decision-input = Garder ou Retirer ; laissez vide si vous ne savez pas
review-decision-error = choisissez Garder ou Retirer dans la liste, ou laissez la cellule vide
review-apart-title = Listés à part, pas à décider :
review-sheet-name = Revue
review-instructions-sheet = Instructions
review-instructions-title = Revue des accès de { $structure } ({ $name })
review-instructions-1 = La feuille « Revue » liste toutes les personnes qui voient aujourd'hui les dossiers des enfants de cette structure.
review-instructions-2 = Pour chaque personne, choisissez « { $keep } » si elle a encore besoin de cet accès, « { $remove } » sinon.
review-instructions-3 = Laissez la décision vide si vous ne savez pas : une décision vide ne retire rien.
review-instructions-4 = N'ajoutez, ne supprimez ni ne déplacez de lignes, et ne changez pas les deux premières lignes ; écrivez vos remarques dans la colonne Commentaire.
review-instructions-5 = Merci de renvoyer la feuille au plus tard le { $due }.
review-instructions-6 = Campagne : { $campaign }.

why-review = pour lire qui voit chaque structure
review-structure-unknown = structure inconnue dans l'organisation : { $structures }
review-structure-unknown-hint = donnez les identifiants de structure comme le portail les a (export écrit la liste)
review-record-failed = la campagne ne peut pas être enregistrée : { $error }
review-send-failed = la commande d'envoi a échoué pour la feuille de { $structure } : { $why }
review-send-stopped = la commande d'envoi de la feuille de { $structure } a été arrêtée après { $secs } s
review-send-hint = renvoyez-la avec : proone-sync review send { $campaign } --structure { $structure }
review-sheet-exists = { $path } existe déjà (une feuille d'une campagne précédente ?) : rien n'a été écrit, aucune campagne n'est ouverte
review-sheet-exists-hint = donnez à review start un autre dossier --out, ou déplacez les feuilles précédentes
review-send-nobody = la feuille de { $structure } n'a ni réviseur ni coordinateur : elle n'est pas envoyée
review-send-nobody-hint = nommez-en un dans [review] reviewers ou [review] coordinator, ou remettez la feuille depuis son dossier
review-sheet-changed = { $path } n'est plus la feuille écrite par la campagne { $campaign } (modifiée ou remplacée depuis) : elle n'est pas envoyée
review-sheet-changed-hint = envoyez la feuille à la main, ou ouvrez une nouvelle campagne dans un autre dossier
review-send-closed = la campagne { $campaign } a été close le { $closed } : ses feuilles ne sont plus envoyées
review-started = campagne { $campaign } : { $sheets ->
    [one] { $sheets } feuille
   *[other] { $sheets } feuilles
}, à rendre le { $due }
review-sheet-line = { $structure } : { $people ->
    [one] { $people } personne
   *[other] { $people } personnes
} à décider, revue par { $reviewer }, { $file }
review-no-reviewer = personne (à remettre vous-même)
review-no-send = aucune commande d'envoi n'est configurée
review-no-send-hint = mettez [review] send dans le fichier de configuration, ou remettez la feuille depuis son dossier
review-campaign-none = { $campaign } : aucune campagne ne porte cet identifiant
review-campaign-bad = { $path } : ce n'est pas l'enregistrement d'une campagne ({ $detail })
review-campaign-io = { $path } : { $error }
review-campaign-unreadable-hint = les campagnes sont les fichiers review-rev-….json du dossier d'état
review-sent = campagne { $campaign } : la feuille de { $structure } a été envoyée

problem-review-decision-invalid = la décision { $value } n'est ni Garder ni Retirer (Keep ni Remove) : aucune réponse n'est retenue pour cette personne
hint-review-decision-invalid = choisissez Garder ou Retirer dans la liste, ou laissez la cellule vide, puis collectez à nouveau la feuille
problem-review-row-unknown = { $user } ne figurait pas sur cette feuille : la ligne n'est pas lue
hint-review-row-unknown = on n'ajoute pas de ligne à une feuille de revue ; une personne à revoir s'ajoute à la liste du personnel
problem-review-row-apart = { $user } est listé à part, pas à décider ici (un administrateur, ou le compte avec lequel proone-sync agit) : la décision sur sa ligne n'est pas lue
hint-review-row-apart = laissez vides les lignes listées à part ; l'accès d'un administrateur se décide par qui gère les profils
problem-review-row-twice = { $user } a une deuxième ligne : seule la décision de la première est lue
hint-review-row-twice = gardez une ligne par personne, comme la feuille a été faite
problem-review-self-decided = c'est la ligne de la personne qui revoit : on ne décide pas de son propre accès sur sa propre feuille, la décision { $value } n'est donc pas retenue (sans réponse)
hint-review-self-decided = laissez vide la ligne de la personne qui revoit ; un changement de son accès se demande au coordinateur
problem-review-no-campaign = ce n'est pas une feuille de revue : aucune campagne n'est nommée au-dessus de l'en-tête
hint-review-campaign-unknown = collectez les feuilles d'une campagne ouverte telles qu'elles ont été envoyées (review status les liste)
problem-review-campaign-closed = la campagne { $campaign } est close : ses réponses ne sont plus prises
problem-review-campaign-unknown = aucune campagne { $campaign } pour cette feuille dans le dossier d'état
problem-review-sheet-too-large = la feuille a plus de lignes que sa campagne n'en listait plus 50 ({ $max } au plus) : elle est refusée entière
hint-review-sheet-too-large = renvoyez la feuille telle qu'elle a été faite, avec une décision par ligne
problem-review-workbook-too-large = le fichier contient bien plus qu'une feuille de revue ne le peut (plus de { $mib } Mio) : il est refusé entier, sans être lu
review-collected = campagne { $campaign }, { $structure } : { $keep } à garder, { $remove } à retirer, { $none } sans réponse ({ $file })
review-closed = la campagne { $campaign } est close : plus aucune réponse n'est prise
review-file-unreadable = { $path } : impossible de le lire : { $error }

mode-review = revue d'accès
html-mode-review = revue d'accès (les retraits décidés par les responsables)
problem-review-stale = l'accès de { $who } à { $structure } a changé depuis la création de la feuille de revue : ce retrait est laissé de côté
hint-review-stale = redemandez au responsable dans une nouvelle campagne si l'accès doit encore être retiré
problem-review-structure-orphaned = après ces retraits, plus personne d'autre que les administrateurs ne voit { $structure }
hint-review-structure-orphaned = vérifiez que personne sur place n'en a besoin, ou donnez l'accès à la personne qui reprend

review-status-campaign = campagne { $campaign } (commencée { $started }, à rendre le { $due }, close : { $closed ->
        [yes] oui
       *[other] non
    })
review-status-answered = répondu le { $day } : { $keep } à garder, { $remove } à retirer
review-status-overdue = en retard, sans réponse (coordinateur : { $coordinator })
review-status-blank-overdue = rendue le { $day } sans aucune décision : en retard (coordinateur : { $coordinator })
review-status-line = { $structure } : { $reviewer } : { $state }
review-status-sent = envoyée, pas encore de réponse
review-status-waiting = pas envoyée, pas encore de réponse
review-status-none = aucune campagne de revue dans le dossier d'état
review-overdue-line = la feuille de revue de { $structure } (campagne { $campaign }) a dépassé son échéance sans réponse ; coordinateur : { $coordinator }
problem-review-sheet-applied = les réponses pour { $structure } ont été appliquées par { $run } : ce fichier n'est pas pris
hint-review-sheet-applied = une nouvelle revue de cette structure est une nouvelle campagne (review start --structure)

review-report-extensions = le rapport de la campagne est en .xlsx, .html ou .md
review-report-title = Campagne de revue d'accès { $campaign }
review-report-dates = commencée { $started }, à rendre le { $due }
review-report-closed = close le { $closed }
review-report-coordinator = coordinateur : { $coordinator }
review-report-sheets = Feuilles
review-report-decisions = Décisions
review-col-structure = Structure
review-col-name = Nom
review-col-reviewer = Responsable
review-col-sent = Envoyée
review-col-people = Personnes à décider
review-col-answered = Répondu
review-col-file-sha256 = SHA-256 du fichier
review-col-applied-by = Appliqué par l'exécution
review-col-day = Jour
review-yes = oui
review-no = non
review-report-files = Fichiers rendus
review-col-file = Fichier
review-col-keep = Garder
review-col-remove = Retirer
review-col-none = Sans réponse
review-col-standing = En vigueur
review-replaced = remplacé par un fichier ultérieur
review-since-before = avant le { $day }
problem-guard-review = garde-fou : { $revocations ->
    [one] { $revocations } retrait
   *[other] { $revocations } retraits
}, plus que max_revocations ({ $max }) ou 10 % des { $managed } accès que détiennent maintenant les personnes touchées par cette revue
hint-guard-review-hold = apply --review retient ces retraits pour approbation (proone-sync held, puis approve ou reject) ; vérifiez les réponses avec review status
hint-guard-review-stop = vérifiez les réponses avec review status ; si elles sont justes, relancez avec --allow-mass-change
problem-review-redone = la prochaine exécution de nuit redonnerait à { $who } l'accès à { $structure } : cette ligne de la liste du personnel le demande
hint-review-redone = demandez aux RH de modifier ou d'enlever cette ligne avant la nuit prochaine, sinon le retrait est défait
problem-review-redone-unchecked = aucun fichier d'entrée n'est donné ni configuré : on ne vérifie pas si la prochaine exécution de nuit redonnerait ces accès
hint-review-redone-unchecked = donnez la liste du personnel (plan --review CAMPAIGN personnel.xlsx) ou mettez inputs dans le fichier de configuration
review-report-for-hr = Pour les RH
review-col-staff-row = Ligne de la liste du personnel
review-no-changes = Rien à retirer : aucune réponse « Retirer » n'attend d'être appliquée, ou l'accès a changé depuis que la feuille a été faite.
review-no-coordinator = aucun n'est configuré
review-reviewer-unknown = [review.reviewers] nomme { $structure }, que le portail n'a pas : aucune feuille n'est faite pour ce réviseur
