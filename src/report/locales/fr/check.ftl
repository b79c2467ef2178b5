# check : les problèmes par fichier, puis un résumé.

severity-error = erreur
severity-warning = avertissement
severity-note = note
hint-line = indice : { $hint }
place-file = (fichier)
check-summary = { $files ->
    [one] { $files } fichier
   *[other] { $files } fichiers
}, { $sheets ->
    [one] { $sheets } feuille
   *[other] { $sheets } feuilles
}, { $rows ->
    [one] { $rows } ligne
   *[other] { $rows } lignes
}, { $people ->
    [one] { $people } personne
   *[other] { $people } personnes
} : { $errors ->
    [one] { $errors } erreur
   *[other] { $errors } erreurs
}, { $warnings ->
    [one] { $warnings } avertissement
   *[other] { $warnings } avertissements
}, { $notes ->
    [one] { $notes } note
   *[other] { $notes } notes
}
check-invalid-skipped = { $count ->
    [one] ({ $count } ligne invalide ignorée)
   *[other] ({ $count } lignes invalides ignorées)
}
