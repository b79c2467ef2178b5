# Les bornes de la tâche (issue 22) : ensembles fermés de la configuration, commandes seulement
# depuis un fichier que d'autres ne peuvent pas modifier, un portail qui répond trop ou pas du tout.

## Le fichier de configuration
config-not-in-set = { $key } : « { $value } » ne fait pas partie des valeurs admises ; les valeurs admises sont { $accepted }
config-unsafe-command = { $key } est refusé : ce fichier (propriétaire { $owner }, mode { $mode }) n'appartient pas à vous ou à root, ou d'autres peuvent le modifier, et une commande qui s'y trouve serait exécutée avec ce compte ; faites qu'il appartienne à vous ou à root et que seul son propriétaire puisse le modifier (chmod go-w), ou retirez la commande
config-unsafe-folder = { $key } est refusé : la commande s'exécuterait dans { $folder } (propriétaire { $owner }, mode { $mode }), que d'autres peuvent modifier — un script qu'elle nomme pourrait être celui de n'importe qui ; gardez la configuration dans un dossier qui appartient à vous ou à root et que seul son propriétaire peut modifier, ou retirez la commande

## Un portail qui répond trop ou pas du tout
portal-no-answer = le portail à { $url } a accepté la connexion mais n'a pas répondu en { $secs } s ({ $attempts ->
    [one] { $attempts } essai
   *[other] { $attempts } essais
  }) : il est là, mais il ne répond pas
hint-portal-no-answer = le portail ou une passerelle devant lui garde les requêtes sans répondre : demandez à ses administrateurs ; à un portail lent mais qui fonctionne, on peut accorder plus de temps avec [portal] timeout_secs
portal-too-large = la réponse du portail à { $url } dépasse { $limit } Mio : elle n'a pas été lue (le portail ou une passerelle devant lui est en faute)
hint-portal-too-large = une réponse de l'API fait quelques centaines de Kio ; si le portail envoie vraiment plus, augmentez [portal] max_body_mib
reason-portal-no-answer = le portail n'a pas répondu en { $secs } s
reason-portal-too-large = la réponse du portail dépasse { $limit } Mio : elle n'a pas été lue

## Plans retenus : âges et approbateurs dans la langue du lecteur
held-age-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
  }
held-age-hours = { $count ->
    [one] { $count } heure
   *[other] { $count } heures
  }
held-age-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
  }
held-age-unknown = ?
held-by-unknown = (inconnu)
portal-stopped-silent = le portail ne répond plus (une action n'a reçu aucune réponse à temps, essai après essai ; { $not_run ->
    [one] { $not_run } non commencée
   *[other] { $not_run } non commencées
  })

## Le graphique de la page HTML : l'infobulle d'une barre
html-chart-bar = { $label } : { $grants ->
    [one] { $grants } attribution
   *[other] { $grants } attributions
  }, { $revokes ->
    [one] { $revokes } révocation
   *[other] { $revokes } révocations
  }

## L'état partiel (cli.md) : un plan retenu approuvé dont des actions ont échoué
held-state-partial = partiel
held-partial-failed = { $count ->
    [one] son action { $actions } n'a pas abouti : voyez le rapport de cette exécution
   *[other] ses actions { $actions } n'ont pas abouti : voyez le rapport de cette exécution
  }
held-partial-again = { $count ->
    [one] { $count } action qu'un garde-fou retient forme le plan retenu { $fingerprint }, déjà approuvé et appliqué en partie : il n'est pas retenu à nouveau
   *[other] { $count } actions qu'un garde-fou retient forment le plan retenu { $fingerprint }, déjà approuvé et appliqué en partie : il n'est pas retenu à nouveau
  }
md-held-partial = Plan retenu déjà appliqué en partie

## Périmètre faisant autorité sur un fichier abîmé
problem-scope-damaged = périmètre faisant autorité, mais ce fichier est abîmé (une cellule contient un caractère NUL ou un autre caractère de contrôle : un bloc mis à zéro peut avoir avalé des lignes entières) : aucun départ n'est retiré ({ $leavers ->
    [one] { $leavers } utilisateur du portail absent des fichiers garde ses accès pour l'instant
   *[other] { $leavers } utilisateurs du portail absents des fichiers gardent leurs accès pour l'instant
  })
hint-scope-damaged = une ligne perdue dans les dégâts peut être celle de n'importe qui : restaurez le fichier depuis une bonne copie (ou exportez-le à nouveau), puis relancez

## `held` : les actions d'un plan retenu, par opération
held-op-count = { $op ->
    [create_user] { $count ->
        [one] { $count } utilisateur à créer
       *[other] { $count } utilisateurs à créer
    }
    [grant_dossier] { $count ->
        [one] { $count } dossier à donner
       *[other] { $count } dossiers à donner
    }
    [grant_structure] { $count ->
        [one] { $count } milieu d'accueil à donner
       *[other] { $count } milieux d'accueil à donner
    }
    [revoke_dossier] { $count ->
        [one] { $count } dossier à retirer
       *[other] { $count } dossiers à retirer
    }
    [revoke_structure] { $count ->
        [one] { $count } milieu d'accueil à retirer
       *[other] { $count } milieux d'accueil à retirer
    }
   *[other] { $count } { $op }
  }
hint-config-accepted = écrivez l'une de ces valeurs : { $accepted }
