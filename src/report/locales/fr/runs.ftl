# Les exécutions (evidence.md « Runs ») et la forme canonique de l'empreinte.
saved-unknown-form = son empreinte est calculée selon la forme canonique { $form }, et cette version connaît les formes 1 à { $known } : appliquez-le avec la version qui l'a enregistré, ou planifiez à nouveau
stale-cannot-record = { $dir } : impossible d'enregistrer que le plan est périmé : { $error }
run-cannot-record = impossible d'enregistrer l'exécution { $run } dans le dossier d'état : { $error }
run-cannot-create = { $dir } : impossible de créer l'enregistrement de l'exécution, donc rien n'est fait : { $error }
runs-none = Aucune exécution dans { $dir } pour l'instant.
runs-header-run = exécution
runs-header-state = état
runs-header-exit = sortie
runs-header-started = début
runs-state-completed = terminée
runs-state-failed = échouée
runs-state-interrupted = interrompue
runs-state-killed = tuée
runs-state-running = en cours
runs-nothing-sent = rien envoyé
runs-phase = { $source } { $fingerprint } : { $counts }
runs-phase-approved = { $source } { $fingerprint } approuvé par { $by } : { $counts }
runs-status-count = { $count } { $status ->
    [done] { $count ->
        [one] fait
       *[other] faits
    }
    [adopted] { $count ->
        [one] repris
       *[other] repris
    }
    [in_effect] déjà en vigueur
    [failed] { $count ->
        [one] échoué
       *[other] échoués
    }
    [skipped] { $count ->
        [one] sauté
       *[other] sautés
    }
    [interrupted] { $count ->
        [one] interrompu
       *[other] interrompus
    }
    [not_run] { $count ->
        [one] non lancé
       *[other] non lancés
    }
    [held] { $count ->
        [one] retenu
       *[other] retenus
    }
   *[other] { $status }
}
held-approval-damaged = l'approbation du plan retenu { $fingerprint } est illisible : il n'est pas appliqué
held-approval-damaged-hint = examinez approved-{ $fingerprint }.json dans le dossier d'état, ou approuvez à nouveau le plan
held-header-source = source
runs-op-counts = { $op ->
    [create_user] créations
    [grant_dossier] dossiers accordés
    [grant_structure] structures accordées
    [revoke_dossier] dossiers retirés
    [revoke_structure] structures retirées
   *[other] { $op }
} : { $counts }
# Dates (inputs.md « Dates ») : les sections datées du plan et les fins de lignes.
plan-ended-mark = (ligne terminée le { $day })
csv-ended = fin
plan-upcoming = À venir ({ $count }) : ces lignes commencent dans la fenêtre et ne demandent encore rien :
plan-ending = Fin prochaine ({ $count }) : ces lignes se terminent dans la fenêtre (prolongez-les dans le fichier si elles continuent) :
plan-upcoming-line = { $who } : { $what } à partir du { $day } ({ $source })
plan-ending-line = { $who } : { $what } jusqu'au { $day } ({ $source })
html-card-upcoming = À venir
html-card-ending = Fin prochaine
ending-cannot-record = { $dir } : impossible d'enregistrer les fins annoncées par cette exécution : { $error }
plan-other-day = ce plan a été fait pour le { $day }, et nous sommes le { $today } : il est appliqué tel qu'il a été relu
plan-other-day-hint = les lignes datées ont été jugées le { $day } ; planifiez à nouveau pour les juger aujourd'hui
history-cannot-record = impossible d'enregistrer l'exécution { $run } dans l'historique : { $error }
history-cannot-record-hint = ce que l'exécution a écrit est dans son journal ; la prochaine exécution de apply l'importera dans l'historique dès qu'il pourra être écrit (place libre, droits du dossier d'état)
