# drift : les changements faits à la main dans le portail depuis la dernière exécution
# (evidence.md), une section de chaque rapport de plan et d'apply quand il y en a ; les notes
# d'un historique illisible.

drift-title = Modifié à la main depuis la dernière exécution
drift-text-title = Modifié à la main depuis la dernière exécution ({ $count }) :
drift-intro = Fait dans la page web du portail, pas par proone-sync, entre deux de ses lectures.
drift-dossier = dossier { $label }
drift-structure = milieu d'accueil { $structure }
drift-profile = profil { $profile }
drift-granted = { $item } donné à la main
drift-revoked = { $item } retiré à la main
drift-since = depuis l'exécution { $after }
drift-between = entre l'exécution { $after } et l'exécution { $seen }
drift-before = avant l'exécution { $seen }
drift-seen-at = vu le { $at }
drift-line = { $who } : { $change }, { $when }
drift-md-header = | personne | changement | quand |
drift-col-person = Personne
drift-col-change = Changement
drift-col-when = Quand
drift-card = modifiés à la main
drift-csv-mark = à la main

drift-store-older = { $path } : l'historique a été écrit par une version plus ancienne de proone-sync (schéma { $found }) ; les changements faits à la main seront de nouveau montrés quand le prochain apply l'aura mis à jour
drift-store-newer = { $path } : l'historique a été écrit par une version plus récente de proone-sync (schéma { $found }) ; les changements faits à la main ne sont pas montrés
drift-store-unreadable = l'historique ne peut pas être lu ({ $error }) ; les changements faits à la main ne sont pas montrés
