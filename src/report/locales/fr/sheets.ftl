# Feuilles pour les personnes : la feuille des problèmes de check --report.

problems-sheet = Problèmes
problems-col-file = Fichier
problems-col-sheet = Feuille
problems-col-row = Ligne
problems-col-column = Colonne
problems-col-severity = Gravité
problems-col-value = Valeur
problems-col-code = Code
problems-col-message = Problème
problems-col-hint = Comment corriger
