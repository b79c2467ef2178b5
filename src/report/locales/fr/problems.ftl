# Problèmes : le message et l'indice de chaque code de problème (inputs.md), avec leurs parties.
# Les arguments sont des valeurs des tableurs ou du portail, déjà masquées (NRN).

## Champs d'une ligne
field-last-name = nom
field-first-name = prénom
field-email = e-mail
field-nrn = numéro de registre national
field-consent = consentement
field-dossiers = dossiers
field-structures = milieux d'accueil
field-from = date de début
field-until = date de fin

## Pourquoi un fichier ne peut être lu
unreadable-io = impossible de l'ouvrir (détail technique : « { $why } »)
unreadable-empty = le fichier est vide (0 octet)
unreadable-not-text = ce n'est pas du texte : contenu binaire dans un fichier .csv/.tsv/.txt
unreadable-encrypted = il est protégé par un mot de passe (chiffré), ou c'est un ancien fichier .xls renommé
unreadable-damaged = ce n'est pas un tableur lisible, abîmé ou tronqué ? (détail technique : « { $why } »)
unreadable-too-large = la feuille « { $sheet } » a des valeurs sur { $rows } lignes × { $cols } colonnes ({ $cells } cellules), plus que cet outil ne lit d'une feuille .ods
unreadable-unsupported = « { $ext } » n'est pas un type de tableur que cet outil lit
unreadable-missing-part = le classeur n'a pas de { $part } : il est abîmé, ou ce n'est pas un classeur
unreadable-declared-too-many = { $part } annonce { $declared } éléments là où il y a place pour { $room } au plus : le fichier est abîmé
unreadable-declared-too-large = une feuille annonce { $rows } lignes × { $cols } colonnes ({ $cells } cellules), plus que cet outil ne lit d'une feuille .xls
unreadable-reader-failed = erreur interne : le lecteur de tableur a échoué sur ce fichier (détail technique : « { $why } ») ; il est probablement abîmé
unreadable-out-of-order = les cellules ne sont pas dans l'ordre des lignes

hint-unreadable-io = vérifiez le chemin et que le fichier peut être lu
hint-unreadable-empty = enregistrez à nouveau le tableur, ou retirez-le des entrées
hint-unreadable-not-text = un classeur doit s'appeler .xlsx/.ods ; enregistrez-le en CSV pour utiliser .csv
hint-unreadable-encrypted = retirez le mot de passe (Fichier › Informations › Protéger le classeur) et enregistrez en .xlsx
hint-unreadable-damaged = ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau en .xlsx
hint-unreadable-too-large = effacez les cellules isolées loin du tableau (Ctrl+Fin les montre) et enregistrez à nouveau
hint-unreadable-unsupported = utilisez .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv ou .txt

## Pourquoi une adresse e-mail n'en est pas une
email-no-at = n'a pas de @
email-several-at = a plus d'un @
email-empty-local = n'a rien avant le @
email-bad-domain = a un domaine qui n'est pas un nom de domaine (« { $domain } »)
email-bad-character = contient « { $char } », qu'une adresse e-mail ne peut pas contenir
email-too-long = est trop longue

## Pourquoi un numéro de registre national n'en est pas un
date-shape = n'est pas une date écrite le jour d'abord (jour/mois/année)
date-two-digit-year = a une année à deux chiffres
date-no-such-month = n'a pas de mois { $month } (le jour vient d'abord, puis le mois)
date-no-such-day = est un jour qui n'existe pas
date-number = est un nombre, pas une date
date-no-day = est une heure ou une durée, pas un jour

nrn-bad-character = contient « { $char } », qui n'est ni un chiffre ni un séparateur (espace . - /)
nrn-length = a { $digits ->
    [one] { $digits } chiffre
   *[other] { $digits } chiffres
} ; un numéro de registre national en a 11
nrn-zero = ne contient que des zéros
nrn-checksum = a des chiffres de contrôle qui ne correspondent pas (un chiffre mal tapé ?)
nrn-month = a le mois { $month }, qui n'est pas un mois de naissance possible (01-12, +20 ou +40 pour un numéro BIS)
nrn-not-whole = n'est pas un nombre entier ({ $value })

hint-nrn-bad-character = tapez les 11 chiffres, éventuellement sous la forme 85.07.30-033.28 ; les lettres ne sont pas admises
hint-nrn-length = recopiez le numéro depuis la carte d'identité (11 chiffres)
hint-nrn-not-whole = tapez les 11 chiffres de la carte d'identité, comme du texte
hint-nrn-checksum = comparez chaque chiffre avec la carte d'identité ; les deux derniers sont des chiffres de contrôle

## Conflits d'identité
clash-nrn-with-emails = le numéro de registre national { $nrn } va avec { $count } adresses e-mail ({ $emails })
clash-email-with-nrns = l'e-mail { $email } va avec { $count } numéros de registre national ({ $nrns })

## Messages
problem-undescribed = erreur interne : un problème pour lequel l'outil n'a pas de phrase ({ $kind })
problem-file-unreadable = impossible de lire ce fichier : { $reason }
problem-lock-file-skipped = fichier de verrou bureautique ignoré
problem-folder-empty = ce dossier ne contient aucun tableur : rien n'y a été lu
problem-sheet-hidden = feuille masquée ignorée
problem-sheet-missing = aucune feuille « { $sheet } » dans ce fichier
problem-not-utf8 = pas en UTF-8 : lu comme Windows-1252 (l'enregistrement « CSV » d'Excel)
problem-no-header = pas de ligne d'en-tête : feuille ignorée
problem-nothing-read = rien n'a été lu dans ce fichier : aucune feuille n'a de ligne d'en-tête
problem-no-data = une ligne d'en-tête mais aucune donnée en dessous
problem-unknown-columns = colonnes ignorées : { $columns }
problem-column-twice = une deuxième colonne « { $header } » : ignorée, c'est la colonne { $used } qui est lue
problem-no-identity-column = cette feuille n'a ni colonne de numéro de registre national ni colonne e-mail : ses lignes ne désignent personne
problem-value-past-header = une valeur (« { $value } ») au-delà de la dernière colonne de l'en-tête : la ligne est peut-être décalée
problem-cell-error = { $field } : la cellule affiche une erreur ({ $error })
problem-value-control-character = « { $value } » contient un caractère de contrôle (un NUL ou un autre octet invisible) : la cellule est abîmée
problem-email-invalid = l'e-mail « { $email } » { $reason }
problem-consent-invalid = le consentement « { $value } » n'est ni oui ni non
problem-mark-invalid = « { $value } » dans la colonne « { $dossier } » n'est pas une marque
problem-dossier-unknown = dossier inconnu « { $value } »
problem-no-person = la ligne ne désigne personne : elle n'a ni numéro de registre national ni e-mail
problem-nrn-invalid = le numéro de registre national { $shown } { $reason }
problem-nrn-scientific = le numéro de registre national { $shown } est en notation scientifique : des chiffres ont été perdus
problem-nrn-date = la cellule du numéro de registre national contient une date ({ $value }), pas un nombre
problem-nrn-not-number = la cellule du numéro de registre national contient { $value }, pas un nombre
problem-nrn-padded = le numéro de registre national avait { $digits ->
    [one] { $digits } chiffre
   *[other] { $digits } chiffres
} : lu comme { $read_as }, { $added ->
    [one] un zéro ajouté devant
   *[other] { $added } zéros ajoutés devant
}
problem-date-invalid = la { $field } « { $value } » { $reason }
problem-date-order = la date de fin { $until } précède la date de début { $from }
problem-identity-conflict = conflit d'identité : { $clashes } (lignes { $rows })
problem-name-conflict = cette ligne nomme la personne « { $this } », mais { $first_at } la nomme « { $first } » ; c'est le premier nom qui est gardé
problem-structure-id-unknown = identifiant de milieu d'accueil inconnu { $id } : aucun milieu d'accueil de l'organisation ne l'a
problem-structure-name-unknown = milieu d'accueil inconnu « { $name } »
problem-structure-not-there = aucun milieu d'accueil « { $name } » à { $place }
problem-structure-ambiguous = « { $name } » désigne { $count } milieux d'accueil : { $candidates }
problem-dossier-not-offered = le portail ne propose pas le dossier { $dossier } ({ $code })
problem-structures-unresolved = milieux d'accueil non résolus auprès du portail : { $refs }
problem-nrn-and-email-apart = le numéro de registre national { $nrn } est l'utilisateur { $nrn_user } du portail ({ $nrn_user_email }) mais l'e-mail { $email } est l'utilisateur { $email_user } : rien n'est fait pour cette personne
problem-email-has-other-nrn = l'e-mail { $email } est l'utilisateur { $user } du portail, dont le numéro de registre national est { $user_nrn } et non { $nrn } : rien n'est fait pour cette personne
problem-email-has-other-nrn-invalid = l'e-mail { $email } est l'utilisateur { $user } du portail, dont le numéro de registre national n'est pas valide, et non { $nrn } : rien n'est fait pour cette personne
problem-email-differs = le portail connaît cette personne (par son numéro de registre national) sous { $portal }, les fichiers disent { $inputs }
problem-name-differs = le portail nomme { $user } « { $portal } », les fichiers « { $inputs } »
problem-prune-withheld = retraits suspendus pour { $email } : une ligne de cette personne est invalide ({ $dossiers ->
    [one] { $dossiers } dossier gardé
   *[other] { $dossiers } dossiers gardés
}, { $structures ->
    [one] { $structures } milieu d'accueil gardé
   *[other] { $structures } milieux d'accueil gardés
})
problem-create-incomplete = { $person } n'est pas sur le portail et ne peut pas être créé·e : il manque { $missing }
problem-consent-missing = consentement manquant : impossible de créer l'utilisateur { $person }
problem-wider-than-asked = plus large que demandé : un seul ensemble de milieux d'accueil sert tous les dossiers liés aux milieux, cette personne recevra donc aussi { $pairs }
problem-wider-than-asked-rows = plus large que demandé : un seul ensemble de milieux d'accueil sert tous les dossiers liés aux milieux, cette personne recevra donc aussi { $pairs } (lignes { $rows })
wider-pair = { $dossier } sur { $structures }
problem-scoped-without-structures = { $dossiers } sans aucun milieu d'accueil : cela ne donne accès à rien
problem-structures-without-scoped = des milieux d'accueil sans Pré-demandes ni Bilans : ils ne donnent accès à rien
problem-guard-revocations = garde-fou : { $revocations ->
    [one] { $revocations } retrait
   *[other] { $revocations } retraits
}, plus que max_revocations ({ $max }) ou 10 % des { $managed } accès que détiennent les personnes des fichiers
problem-guard-creations = garde-fou : { $creations ->
    [one] { $creations } utilisateur à créer
   *[other] { $creations } utilisateurs à créer
}, plus que max_creations ({ $max })

## Indices
hint-lock-file-skipped = ce n'est pas un tableur ; il existe tant que quelqu'un a le fichier ouvert
hint-folder-empty = déposez-y les tableurs (.xlsx, .ods, .csv…), ou indiquez le bon dossier
hint-sheet-hidden = nommez-la dans la configuration ([input] sheets = [...]) pour la lire
hint-sheet-missing = ses feuilles sont : { $sheets }
hint-not-utf8 = si les accents sont faux, enregistrez plutôt en « CSV UTF-8 »
hint-no-header = une feuille de listes ou de notes convient ; une feuille de personnes a besoin d'une ligne d'en-tête nommant au moins deux colonnes comme Nom, Prénom, Email, NRN, Dossiers
hint-nothing-read = la ligne d'en-tête nomme au moins deux colonnes comme Nom, Prénom, Email, NRN, Dossiers, Structures (ou un dossier comme Bilans)
hint-no-data = remplissez une ligne par personne sous l'en-tête
hint-unknown-columns = seules les colonnes connues sont lues ; ajoutez un alias dans la configuration si l'une d'elles doit l'être
hint-column-twice = supprimez ou renommez l'une des deux colonnes
hint-no-identity-column = ajoutez une colonne Email ou NRN
hint-value-past-header = cherchez un séparateur en trop dans cette ligne (un « ; » dans un nom doit être entre guillemets)
hint-cell-error = corrigez la formule ou tapez la valeur
hint-value-control-character = retapez la valeur dans cette cellule
hint-email-invalid = écrivez l'adresse entière, par ex. prenom.nom@organisation.be
hint-consent-invalid = écrivez oui ou non (x, 1, yes, ja veulent aussi dire oui ; vide veut dire non)
hint-mark-invalid = marquez x (ou oui, 1) pour donner le dossier, laissez la cellule vide sinon
hint-dossier-closest = vouliez-vous dire « { $closest } » ?
hint-dossier-list = les dossiers sont : { $dossiers }
hint-no-person = indiquez l'e-mail ou le numéro de registre national de la personne
hint-nrn-scientific = mettez la colonne au format Texte dans Excel et retapez les numéros
hint-nrn-date = mettez la colonne NRN au format Texte et retapez les 11 chiffres
hint-nrn-not-number = tapez les 11 chiffres du numéro de registre national
hint-nrn-padded = Excel supprime les zéros de tête : mettez la colonne NRN au format Texte
hint-date-invalid = écrivez le jour, puis le mois et l'année en quatre chiffres : « 30/06/2027 » (ou 2027-06-30)
hint-date-no-such-day = vérifiez le jour selon le mois (avril, juin, septembre et novembre ont 30 jours, février 28 ou 29), sous la forme « 30/06/2027 »
hint-date-two-digit-year = écrivez l'année en quatre chiffres : « 30/06/2027 »
hint-date-day-first = le jour vient d'abord, puis le mois : « 30/06/2027 » est le 30 juin 2027
hint-date-number = tapez le jour sous la forme « 30/06/2027 », ou mettez la cellule au format Date
hint-date-order = l'accès vaut de la date de début à la date de fin, toutes deux comprises : inversez-les ou corrigez-les, par exemple du « 01/04/2027 » au « 30/06/2027 »
hint-identity-conflict = une personne a un seul numéro de registre national et un seul e-mail : corrigez la ligne fautive ; rien n'est fait pour cette personne d'ici là
hint-name-conflict = accordez les lignes d'une même personne sur son nom
hint-structure-id-closest = vouliez-vous dire { $closest } ?
hint-structure-id-unknown = vérifiez l'identifiant dans PRO.ONE (Administration › Milieux d'accueil)
hint-structure-name-unknown = écrivez l'identifiant du milieu d'accueil (MA-…) ou son nom tel que PRO.ONE l'affiche
hint-structure-name-closest = vouliez-vous dire { $closest } ?
or = { " " }ou{ " " }
hint-structure-not-there = « { $name } » est { $candidates }
hint-structure-ambiguous = écrivez « { $name } ({ $postal_code }) » ou « { $name } – { $city } », ou l'identifiant
hint-dossier-not-offered = il ne peut pas y être donné
hint-structures-unresolved = plan résout les noms de milieux d'accueil auprès du portail avant de planifier
hint-nrn-and-email-apart = corrigez le numéro de registre national ou l'e-mail dans le tableur (ou dans le portail)
hint-email-has-other-nrn = l'un des deux est celui de quelqu'un d'autre : corrigez le tableur (ou le portail)
hint-email-differs = cette version ne peut pas changer un e-mail : celui du portail est gardé
hint-name-differs = cette version ne peut pas changer un nom : celui du portail est gardé
hint-prune-withheld = corrigez la ligne invalide ; la prochaine exécution retire ce que les fichiers ne donnent pas
hint-create-incomplete = indiquez nom, prénom, e-mail, numéro de registre national et consentement sur une ligne de cette personne
hint-consent-missing = la case du consentement de la personne doit être marquée oui sur une ligne
hint-wider-than-asked = si ce n'est pas voulu, donnez à cette personne les mêmes milieux d'accueil pour Pré-demandes et Bilans, ou séparez les accès
hint-scoped-without-structures = ajoutez les milieux d'accueil pour lesquels cette personne travaille
hint-structures-without-scoped = ajoutez Pré-demandes ou Bilans, ou retirez les milieux d'accueil
hint-guard-allowed = autorisé par --allow-mass-change
hint-guard-hold = apply applique le reste et retient ceux-ci pour approbation (proone-sync held, puis approve ou reject) ; vérifiez que les fichiers sont complets
hint-guard-stop = vérifiez que les fichiers sont complets (un tableur tronqué ou erroné ?) ; si c'est voulu, relancez avec --allow-mass-change

## Refus : le portail, le verrou, un plan enregistré
portal-no-token = pas de jeton pour le portail : la variable d'environnement { $var } n'est pas définie, aucun token_file n'est configuré, et systemd n'a pas donné d'identifiant proone-token
portal-token-file = le fichier du jeton { $path } ne peut pas être utilisé : { $why }
portal-bad-url = l'URL du portail « { $url } » n'est pas une URL http(s) valide
portal-unauthorized = le portail a refusé le jeton (401) à { $url }
portal-missing-profile = le compte de ce jeton ({ $email }) n'a ni le profil « Administrateur » ni « Gestion des utilisateurs » sur PRO.ONE
portal-forbidden = le portail a répondu 403 (interdit) à { $url } (réponse du portail : « { $detail } »)
portal-unreachable = le portail n'a pas pu être joint à { $url } après { $attempts ->
    [one] { $attempts } essai
   *[other] { $attempts } essais
} (détail technique : « { $last } »)
portal-status = le portail a répondu { $status } à { $url } (réponse du portail : « { $detail } »)
portal-bad-answer = la réponse du portail à { $url } n'est pas celle que l'API promet (détail technique : « { $detail } »)
portal-interrupted = interrompu avant que l'appel à { $url } puisse être (r)envoyé (après { $attempts ->
    [one] { $attempts } essai
   *[other] { $attempts } essais
})
portal-client = impossible de préparer le client HTTP (détail technique : « { $detail } »)
portal-certificate = le certificat TLS du portail n'est pas reconnu à { $url } : { $why }
portal-ca-file = le fichier d'autorités { $path } (ca_file) ne peut pas être utilisé (détail technique : « { $why } »)
hint-portal-no-token = exportez le jeton de l'API dans cette variable (ou nommez-en une autre avec --token-env) ; il n'est jamais lu d'une option
hint-portal-token-file = le fichier doit contenir le jeton seul et n'être lisible que par son propriétaire, comme ssh le veut d'une clé : chmod 600
hint-portal-bad-url = indiquez portal.url dans la configuration, PROONE_URL, ou --portal-url, par ex. https://portal.example/api/v1
hint-portal-unauthorized = le jeton manque, est mal recopié ou révoqué : demandez-en un nouveau
hint-portal-missing-profile = un administrateur de l'organisation donne à ce compte l'un des deux profils dans Administration › Utilisateurs
hint-portal-forbidden = vérifiez les profils du compte du jeton
hint-portal-unreachable = vérifiez l'URL et le réseau ; la tâche a réessayé en espaçant les essais avant d'abandonner
hint-portal-status = relancez avec -v pour voir les appels ; signalez-le si cela persiste
hint-portal-interrupted = relancez : chaque changement est idempotent, la prochaine exécution termine le travail
hint-portal-client = signalez-le : c'est un problème d'installation de l'outil
hint-portal-certificate = si l'organisation a sa propre autorité de certification (un proxy d'entreprise), ajoutez-la au magasin du système, indiquez un fichier PEM dans SSL_CERT_FILE, ou réglez [portal] ca_file
hint-portal-ca-file = ca_file désigne un fichier PEM d'un ou plusieurs certificats d'autorité (-----BEGIN CERTIFICATE-----)
lock-held = une autre exécution tient le dossier d'état { $dir } : { $holder }
lock-io = { $path } : impossible de prendre le verrou (détail technique : « { $error } »)
saved-not-json = ce n'est pas du JSON (détail technique : « { $detail } »)
saved-other-format = format « { $format } » : cette version n'applique que { $supported }
saved-no-format = ce n'est pas un plan proone-sync (pas de « format »)
saved-report = c'est un rapport de plan, pas un plan enregistré : enregistrez-en un avec `plan --out PLAN`
saved-damaged = abîmé (détail technique : « { $detail } »)
saved-edited = son contenu ne donne pas son empreinte { $saved } (il donne { $recomputed }) : le plan a été modifié après avoir été enregistré
saved-unknown-dossier = action { $action } : dossier inconnu « { $code } »
saved-bad-nrn = action { $action } : le numéro de registre national n'est pas valide
saved-no-person = action { $action } : une création sans sa personne

problem-scope-incomplete = périmètre faisant autorité, mais ce fichier n'a donné aucune personne : aucun départ n'est retiré ({ $leavers ->
    [one] { $leavers } utilisateur du portail absent des fichiers garde ses accès
   *[other] { $leavers } utilisateurs du portail absents des fichiers gardent leurs accès
} pour l'instant)
hint-scope-incomplete = un fichier manquant ou vidé ne doit pas ressembler à une organisation qui a perdu son personnel : remettez-y la liste du personnel, ou retirez le fichier des entrées

cert-untrusted-issuer = il est émis par une autorité à laquelle cette machine ne fait pas confiance
cert-expired = il a expiré
cert-wrong-host = il n'est pas établi pour ce nom d'hôte
problem-email-changed = cette ligne terminée nomme la personne { $ended } ; { $current_at }, en vigueur ou à venir, la nomme { $current } : c'est l'actuelle qui est gardée
hint-email-changed = rien à faire si l'adresse a changé depuis ; la ligne terminée ne fait que mettre fin à ce qu'elle donnait
problem-access-ended = cette ligne s'est terminée le { $until }, il y a plus de { $days } jours ([dates] end_window_days) : elle ne met plus fin à rien
hint-access-ended = supprimez la ligne quand elle ne sert plus ; un accès accordé depuis est gardé

## Une annulation (evidence.md « Revert a run »)
revert-item-dossier = le dossier { $label }
revert-item-structure = le milieu d'accueil { $id }
revert-by-hand = modifié à la main entre l'exécution { $after } et l'exécution { $seen }
revert-by-hand-seen = modifié à la main, vu à l'exécution { $seen }
revert-by-run = modifié par l'exécution { $run }
revert-by-portal = modifié dans le portail depuis la dernière exécution
revert-by-user-gone = l'utilisateur n'est plus sur le portail
problem-revert-superseded-grant = { $who } : { $item }, donné par l'exécution { $run }, a été modifié depuis ({ $by }) : laissé tel quel
problem-revert-superseded-revoke = { $who } : { $item }, retiré par l'exécution { $run }, a été modifié depuis ({ $by }) : laissé tel quel
hint-revert-superseded = quelqu'un en a décidé autrement depuis ; s'il faut l'annuler aussi, faites-le dans le portail ou dans la liste du personnel
problem-revert-unrecorded = l'historique ne couvre que depuis { $from }, pas l'exécution { $run } : seuls son journal et le portail tel qu'il est maintenant sont comparés ; un changement fait depuis puis défait n'est pas vu
problem-revert-no-history = aucun historique n'enregistre l'exécution { $run } : seuls son journal et le portail tel qu'il est maintenant sont comparés ; un changement fait depuis puis défait n'est pas vu
hint-revert-unrecorded = lisez le plan en le sachant avant de l'appliquer
problem-redone-grant = la prochaine exécution de nuit redonnerait { $item } à { $who } : cette ligne le demande
hint-redone-grant = modifiez ou retirez cette ligne avant la nuit, sinon elle défait l'annulation
problem-redone-revoke = la prochaine exécution de nuit retirerait de nouveau { $item } à { $who } : les lignes de cette personne ne le donnent pas
hint-redone-revoke = ajoutez-le à la ligne de cette personne avant la nuit, sinon elle défait l'annulation
problem-redone-unchecked = aucun fichier d'entrée n'est donné ni configuré : on ne vérifie pas si la prochaine exécution de nuit déferait cette annulation
hint-redone-unchecked = donnez la liste du personnel (plan --revert RUN personnel.xlsx) ou mettez inputs dans le fichier de configuration
problem-guard-revert = garde-fou : { $revocations ->
    [one] { $revocations } retrait
   *[other] { $revocations } retraits
}, plus que max_revocations ({ $max }) ou 10 % des { $managed } accès que détiennent maintenant les utilisateurs touchés par cette annulation
hint-guard-revert-hold = apply --revert applique les ajouts et retient ces retraits pour approbation (proone-sync held, puis approve ou reject) ; vérifiez que c'est bien l'exécution à défaire
hint-guard-revert-stop = vérifiez que c'est bien l'exécution à défaire ; si oui, relancez avec --allow-mass-change
