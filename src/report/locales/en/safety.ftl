# The bounds of the job (issue 22): closed sets of the config, commands only from a file others
# cannot write, a portal that answers too much or not at all.

## The configuration file
config-not-in-set = { $key }: "{ $value }" is not one of its values; the accepted values are { $accepted }
config-unsafe-command = { $key } is refused: this file (owner { $owner }, mode { $mode }) is not yours or root's, or others may write it, and a command in it would run as this account; make it owned by you or root and writable by its owner alone (chmod go-w), or remove the command
config-unsafe-folder = { $key } is refused: it would run in { $folder } (owner { $owner }, mode { $mode }), which others may write — a script it names could be anyone's; keep the config in a folder owned by you or root and writable by its owner alone, or remove the command

## A portal that answers too much or not at all
portal-no-answer = the portal at { $url } accepted the connection but did not answer within { $secs } s ({ $attempts ->
    [one] { $attempts } try
   *[other] { $attempts } tries
  }): it is there, but it does not answer
hint-portal-no-answer = the portal or a gateway in front of it holds requests without answering: ask its administrators; a portal that is slow but working can be given more time with [portal] timeout_secs
portal-too-large = the portal's answer at { $url } is larger than { $limit } MiB: it was not read (the portal or a gateway in front of it is at fault)
hint-portal-too-large = an answer of the API is a few hundred KiB; if the portal really sends more, raise [portal] max_body_mib
reason-portal-no-answer = the portal did not answer within { $secs } s
reason-portal-too-large = the portal's answer is larger than { $limit } MiB: not read

## Held plans: ages and approvers in the reader's language
held-age-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
  }
held-age-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
  }
held-age-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
  }
held-age-unknown = ?
held-by-unknown = (unknown)
portal-stopped-silent = the portal stopped answering (an action got no answer in time, try after try; { $not_run } not started)

## The HTML page's chart: one bar's tooltip
html-chart-bar = { $label }: { $grants ->
    [one] { $grants } grant
   *[other] { $grants } grants
  }, { $revokes ->
    [one] { $revokes } revocation
   *[other] { $revokes } revocations
  }

## The partial state (cli.md): an approved held plan with failed actions
held-state-partial = partial
held-partial-failed = { $count ->
    [one] its action { $actions } did not end done: see that run's report
   *[other] its actions { $actions } did not end done: see that run's report
  }
held-partial-again = { $count ->
    [one] { $count } action a guard holds is the held plan { $fingerprint }, already approved and applied in part: not held again
   *[other] { $count } actions a guard holds are the held plan { $fingerprint }, already approved and applied in part: not held again
  }
md-held-partial = Held plan already applied in part

## Authoritative scope over a damaged file
problem-scope-damaged = authoritative scope, but this input is damaged (a cell holds a NUL or another control character: a zeroed block may have swallowed whole rows): no leaver is revoked ({ $leavers ->
    [one] { $leavers } portal user no input names keeps their access for now
   *[other] { $leavers } portal users no input names keep their access for now
  })
hint-scope-damaged = a row lost in the damage could be anyone's: restore the file from a good copy (or export it again), then run again

## `held`: the actions of a held plan, by operation
held-op-count = { $op ->
    [create_user] { $count ->
        [one] { $count } user to create
       *[other] { $count } users to create
    }
    [grant_dossier] { $count ->
        [one] { $count } dossier to grant
       *[other] { $count } dossiers to grant
    }
    [grant_structure] { $count ->
        [one] { $count } structure to grant
       *[other] { $count } structures to grant
    }
    [revoke_dossier] { $count ->
        [one] { $count } dossier to revoke
       *[other] { $count } dossiers to revoke
    }
    [revoke_structure] { $count ->
        [one] { $count } structure to revoke
       *[other] { $count } structures to revoke
    }
   *[other] { $count } { $op }
  }
hint-config-accepted = write one of: { $accepted }
