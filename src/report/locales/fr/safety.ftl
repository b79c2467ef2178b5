# Les bornes de la tâche (issue 22) : ensembles fermés de la configuration, commandes seulement
# depuis un fichier que d'autres ne peuvent pas modifier, un portail qui répond trop ou pas du tout.

## Le fichier de configuration
config-not-in-set = { $key } : « { $value } » n'est pas une de ses valeurs ; les valeurs acceptées sont { $accepted }
config-unsafe-command = { $key } est refusé : ce fichier (propriétaire { $owner }, mode { $mode }) peut être modifié par d'autres, et une commande qui s'y trouve serait exécutée avec ce compte ; faites-en le propriétaire vous-même ou root, modifiable par lui seul (chmod go-w), ou retirez la commande

## Un portail qui répond trop ou pas du tout
portal-no-answer = le portail à { $url } a accepté la connexion mais n'a pas répondu en { $secs } s ({ $attempts ->
    [one] { $attempts } essai
   *[other] { $attempts } essais
  }) : il est là, mais il ne répond pas
hint-portal-no-answer = le portail ou une passerelle devant lui garde les requêtes sans répondre : demandez à ses administrateurs ; un portail lent mais qui fonctionne peut recevoir plus de temps avec [portal] timeout_secs
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
portal-stopped-silent = le portail ne répond plus ({ $down } actions de suite n'ont pas reçu de réponse à temps ; { $not_run ->
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
