# drift: the changes made by hand in the portal since the last run (evidence.md), a section of
# every plan and apply report when there is any; the notes of a history store that cannot be read.

drift-title = Changed by hand since the last run
drift-text-title = Changed by hand since the last run ({ $count }):
drift-intro = Made in the portal's web page, not by proone-sync, between two of its reads.
drift-dossier = dossier { $label }
drift-structure = structure { $structure }
drift-profile = profile { $profile }
drift-granted = { $item } granted by hand
drift-revoked = { $item } revoked by hand
drift-since = since { $after }
drift-between = between { $after } and { $seen }
drift-before = before { $seen }
drift-seen-at = seen at { $at }
drift-line = { $who }: { $change }, { $when }
drift-md-header = | person | change | when |
drift-col-person = Person
drift-col-change = Change
drift-col-when = When
drift-card = changed by hand
drift-csv-mark = by hand

drift-store-older = { $path }: the history store was written by an older proone-sync (schema { $found }); the changes made by hand are shown again once the next apply has updated it
drift-store-newer = { $path }: the history store was written by a newer proone-sync (schema { $found }); the changes made by hand are not shown
drift-store-unreadable = the history store cannot be read ({ $error }); the changes made by hand are not shown
