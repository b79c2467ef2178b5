//! `plan --revert RUN [--phase N]` and `apply --revert RUN` (evidence.md "Revert a run"): what
//! the revert is planned from. The run found in the state directory (an unknown one, or one
//! whose journal is gone, refused with the oldest run that can still be reverted), its writes
//! read from its journal (of one phase, or all), the portal read, the history store asked what
//! became of each item (read-only; a run it does not cover is compared by journal and portal),
//! the journals of earlier reverts of the same run read for what they put back already; then
//! the pure `plan::revert`, and the inputs planned against the portal as the revert would leave
//! it, for what the next night would redo. Nothing here writes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::apply::runs;
use crate::history::{Asked, Kind, Opened, ReadJournal, RevertAnswers, Since, Store};
use crate::model::{Dossier, Location, RevertItem, StructureId, SupersededBy};
use crate::plan::revert::{
    Coverage, RevertOf, RunWrite, Standing, WriteStatus, net_writes, observed_after,
    redone_by_inputs, redone_unchecked, revert_plan,
};
use crate::plan::{Op, Plan};
use crate::t;

use super::prepare::{Prepared, Wanted, options_of};
use super::{Exit, Settings};

/// The source of a revert's plan (cli.md): `revert:<run>`, and `revert:<run>#<N>` for one
/// phase of it — a held revert of one phase must not supersede the held revert of another.
pub fn source_of(run: &str, phase: Option<usize>) -> String {
    crate::plan::revert::source_of(run, phase)
}

/// The plan that undoes `run` (its phase `phase`, 1-based, or every phase). `Err` is the exit
/// of a run that cannot go on (its reason said).
pub fn prepare(
    w: &Wanted<'_>,
    run: &str,
    phase: Option<usize>,
    settings: &Settings,
) -> Result<Prepared, Exit> {
    let dir = &settings.config.state_dir;
    let journal = find(dir, run, settings)?;
    let read = match &journal {
        Some(path) => crate::history::read_journal(path).map_err(|e| {
            settings.fail(
                crate::msg!(
                    "revert-journal-unreadable",
                    path = path.display().to_string(),
                    error = e.to_string()
                ),
                "",
            )
        })?,
        None => ReadJournal::default(),
    };
    if let Some(n) = phase.filter(|n| *n == 0 || *n > read.phases.len()) {
        return Err(settings.fail(
            crate::msg!(
                "revert-no-phase",
                run = run,
                phase = n,
                count = read.phases.len()
            ),
            crate::msg!("revert-no-phase-hint"),
        ));
    }
    let writes = writes_of(&read, &format!("journal-{run}.jsonl"), phase);
    let (conn, runtime) = super::connect::open(w.portal, settings, &t!("why-plan"))?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|e| settings.fail_portal(&e))?;
    let nets: Vec<&RunWrite> = net_writes(&writes);
    let answers = answers(dir, run, &nets, settings);
    let undone = undone_by_earlier(dir, run);
    let options = options_of(w, settings);
    let of = RevertOf {
        run,
        writes: &writes,
        coverage: match &answers {
            Ok(a) => Coverage::Store(a),
            Err(from) => Coverage::Unrecorded { from: from.clone() },
        },
        undone: &undone,
    };
    let (mut the_plan, mut info) = revert_plan(&of, &observed, &options);
    info.phase = phase;
    let input_problems = next_night(w, settings, &observed, &mut the_plan);
    let source = source_of(run, phase);
    let mut prepared = Prepared::new(
        runtime,
        conn,
        observed,
        the_plan,
        input_problems,
        0,
        Some(source),
        settings,
    );
    prepared.revert = Some(info);
    Ok(prepared)
}

/// A run id as this tool names runs (`run-20261204T023012Z[-n]`): anything else names none
/// (and is never joined into a path).
fn well_formed(run: &str) -> bool {
    run.strip_prefix("run-").is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// The journal of `run` (`None`: the run wrote none, it ended before any phase), or the refusal
/// of a run that does not exist or whose journal is gone, naming the oldest run that can still
/// be reverted.
fn find(dir: &Path, run: &str, settings: &Settings) -> Result<Option<PathBuf>, Exit> {
    let all = runs::list(dir, None).map_err(|e| {
        settings.fail(
            crate::msg!(
                "state-dir-unreadable",
                dir = dir.display().to_string(),
                error = e.to_string()
            ),
            crate::msg!("state-dir-unreadable-hint"),
        )
    })?;
    let journal_of = |id: &str| dir.join(format!("journal-{id}.jsonl"));
    let record = all.iter().find(|r| r.id == run);
    let path = journal_of(run);
    if well_formed(run) && path.is_file() {
        return Ok(Some(path));
    }
    if record.is_some_and(|r| r.journal.is_none()) && well_formed(run) {
        // It ended before any phase: it wrote nothing, and its revert is empty.
        return Ok(None);
    }
    // Newest first: the last one with its journal is the oldest that can be reverted.
    let oldest = all
        .iter()
        .rev()
        .find(|r| journal_of(&r.id).is_file())
        .map(|r| r.id.clone());
    let hint = match &oldest {
        Some(oldest) => crate::msg!("revert-oldest-hint", oldest = oldest),
        None => crate::msg!("revert-none-hint"),
    };
    let message = if record.is_some() {
        crate::msg!(
            "revert-journal-gone",
            run = run,
            journal = path.display().to_string()
        )
    } else {
        crate::msg!(
            "revert-run-unknown",
            run = run,
            dir = dir.display().to_string()
        )
    };
    Err(settings.fail(message, hint))
}

fn op_of(op: &str) -> Option<Op> {
    serde_json::from_value(serde_json::Value::String(op.to_owned())).ok()
}

/// The writes that took effect, of phase `phase` (1-based) or of every phase, in journal order;
/// each located at its journal line (`journal-run-….jsonl:17`).
fn writes_of(read: &ReadJournal, name: &str, phase: Option<usize>) -> Vec<RunWrite> {
    read.writes
        .iter()
        .filter(|w| phase.is_none_or(|n| read.phase_of(w) + 1 == n))
        .filter_map(|w| {
            let status = match w.status.as_str() {
                "done" => WriteStatus::Done,
                "adopted" => WriteStatus::Adopted,
                "in_effect" => WriteStatus::InEffect,
                _ => return None,
            };
            let op = op_of(&w.op)?;
            let item = match op {
                Op::CreateUser => None,
                Op::GrantDossier | Op::RevokeDossier => Some(RevertItem::Dossier(
                    Dossier::from_code(w.dossier.as_deref()?)?,
                )),
                Op::GrantStructure | Op::RevokeStructure => Some(RevertItem::Structure(
                    StructureId::from_portal(w.structure.clone()?),
                )),
            };
            Some(RunWrite {
                at: Location::file(name, 0).with_row(w.line as u32 + 1),
                op,
                status,
                user_id: w.user_id.clone()?,
                email: w.email.clone(),
                item,
                names: w.names.clone(),
            })
        })
        .collect()
}

/// The history store's answer for each item of `nets`, or (`Err`) what it covers from when it
/// does not cover the run — or nothing, without a store this proone-sync can read (said).
fn answers(
    dir: &Path,
    run: &str,
    nets: &[&RunWrite],
    settings: &Settings,
) -> Result<Vec<Standing>, Option<String>> {
    let store = match Store::open_ro(dir) {
        Opened::Ready(store) => store,
        Opened::Missing(_) => return Err(None),
        Opened::Older { path, found } | Opened::Newer { path, found } => {
            let why = format!("{}: schema {found}", path.display());
            settings.say("WARN", crate::msg!("revert-store-unusable", why = why), "");
            return Err(None);
        }
        Opened::Unreadable(e) => {
            settings.say(
                "WARN",
                crate::msg!("revert-store-unusable", why = e.to_string()),
                "",
            );
            return Err(None);
        }
    };
    let asked: Vec<Asked> = nets
        .iter()
        .filter_map(|w| {
            let item = w.item.as_ref()?;
            Some(Asked {
                user_id: w.user_id.clone(),
                kind: match item {
                    RevertItem::Dossier(_) => Kind::Dossier,
                    RevertItem::Structure(_) => Kind::Structure,
                },
                item: item.code().to_owned(),
                grant: matches!(w.op, Op::GrantDossier | Op::GrantStructure),
            })
        })
        .collect();
    match store.since_run(run, &asked) {
        Ok(RevertAnswers::Covered(mut since)) => {
            later_unrecorded(&store, dir, run, &asked, &mut since);
            Ok(since.into_iter().map(standing).collect())
        }
        Ok(RevertAnswers::NotCovered { from }) => Err(from),
        Err(e) => {
            settings.say(
                "WARN",
                crate::msg!("revert-store-unusable", why = e.to_string()),
                "",
            );
            Err(None)
        }
    }
}

/// A later run the store does not hold yet (killed, or its store write failed) changed an
/// item: it is superseded by that run, as `apply` will find once it imported the journal — the
/// plan reviewed is the plan applied.
fn later_unrecorded(store: &Store, dir: &Path, run: &str, asked: &[Asked], since: &mut [Since]) {
    let Ok(writes) = store.unrecorded_writes(dir) else {
        return;
    };
    for (later, w) in writes.iter().filter(|(id, _)| id.as_str() != run) {
        if w.status != "done" && w.status != "adopted" {
            continue;
        }
        for (a, s) in asked.iter().zip(since.iter_mut()) {
            let code = match a.kind {
                Kind::Structure => w.structure.as_deref(),
                _ => w.dossier.as_deref(),
            };
            if w.user_id.as_deref() == Some(a.user_id.as_str()) && code == Some(a.item.as_str()) {
                *s = Since::Job {
                    run: later.clone(),
                    sources: w.sources.clone(),
                };
            }
        }
    }
}

fn standing(s: Since) -> Standing {
    match s {
        Since::Unchanged => Standing::Unchanged,
        Since::NotRecorded => Standing::NotRecorded,
        Since::Hand {
            after_run,
            seen_at_run,
        } => Standing::Changed(SupersededBy::Hand {
            after_run,
            seen_at_run,
        }),
        Since::Job { run, .. } => Standing::Changed(SupersededBy::Run { run }),
    }
}

/// The items earlier reverts of `run` put back (their journals' phases whose source, or whose
/// plan's origin, is `revert:<run>`): a revert killed halfway and applied again writes none of
/// them twice, whether or not the history store has recorded that revert yet.
fn undone_by_earlier(dir: &Path, run: &str) -> HashSet<(String, RevertItem)> {
    let source = source_of(run, None);
    // The whole run's revert, or one phase's (`revert:<run>#<N>`).
    let of_run = |s: &str| {
        s == source
            || s.strip_prefix(source.as_str())
                .is_some_and(|r| r.starts_with('#'))
    };
    let own = format!("journal-{run}.jsonl");
    let mut out = HashSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Every other run's journal (retention keeps them few): a revert is always a later
        // run, but names in one second (`-2`) do not sort as text.
        if crate::history::run_of(&name).is_none() || name == own {
            continue;
        }
        let Ok(read) = crate::history::read_journal(&entry.path()) else {
            continue;
        };
        for (i, p) in read.phases.iter().enumerate() {
            if !of_run(&p.source) && !p.origin.as_deref().is_some_and(of_run) {
                continue;
            }
            for w in writes_of(&read, &name, Some(i + 1)) {
                if let (WriteStatus::Done, Some(item)) = (w.status, w.item) {
                    out.insert((w.user_id, item));
                }
            }
        }
    }
    out
}

/// The inputs planned against the portal as the revert leaves it: each revert action the next
/// night would undo becomes `redone-by-inputs` at its row. Returns the inputs' problems worth
/// saying in the revert's report (a file that cannot be read: the night would stop on it).
pub(super) fn next_night(
    w: &Wanted<'_>,
    settings: &Settings,
    observed: &crate::model::ObservedState,
    revert: &mut Plan,
) -> Vec<crate::model::Problem> {
    let given = if w.inputs.is_empty() {
        settings.config.inputs.clone()
    } else {
        w.inputs.to_vec()
    };
    if given.is_empty() {
        redone_unchecked(revert);
        return Vec::new();
    }
    let mut inputs = crate::input::read_inputs(&given, &settings.input);
    if inputs.stats.unreadable_files > 0 {
        return inputs
            .problems
            .into_iter()
            .filter(|p| p.code() == "file-unreadable")
            .collect();
    }
    crate::input::resolve_structures(
        &mut inputs.desired,
        &observed.structures,
        &mut inputs.problems,
    );
    let after = observed_after(observed, &revert.actions);
    let mut options = options_of(w, settings);
    // The night's plan is asked what it would do, not whether it may.
    options.allow_mass_change = true;
    let nightly = crate::plan::plan(&inputs.desired, &after, &options);
    redone_by_inputs(revert, &nightly);
    Vec::new()
}
