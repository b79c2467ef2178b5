//! `proone-sync history` (evidence.md "`proone-sync history`", issue 25): who had which access
//! when, from the history store — a person's timeline (`--person`), who could see a structure
//! or held a dossier on a day (`--structure` / `--dossier` with `--on`), the changes made by
//! hand (`--drift`), and the store's tamper evidence (`--verify`). Exactly one question per
//! call. Read-only: the store is opened read-only (only apply creates or migrates it), and the
//! portal is only read, to find whose an NRN is; the NRN is never printed whole nor stored.
//! The answers are rendered by `report::history`.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};

use clap::{ArgGroup, Args, ValueEnum};

use crate::history::{Opened, Store, Subject, UserMatch, Verified};
use crate::model::{CalendarDate, Dossier, Nrn, StructureId};
use crate::report::history::{self as render, Answer, HistoryReport};
use crate::report::i18n::Msg;
use crate::t;

use super::{Exit, PortalArgs, ReportKind, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("question")
        .required(true)
        .args(["person", "structure", "dossier", "drift", "verify"])
))]
#[command(group(ArgGroup::new("subject").args(["structure", "dossier"])))]
pub struct HistoryArgs {
    /// A person's timeline: each dossier and structure they held, when, and how each start
    /// and end came. X is a portal user id, an e-mail, a full name (either order, any case or
    /// accent) or an NRN (looked up among the portal's current users, read-only); `-` reads X
    /// from one line of stdin, so that an NRN stays out of shell history.
    #[arg(long, value_name = "X")]
    pub person: Option<String>,
    /// Who could see structure S (its id, or its name) on the day of --on: each person holding
    /// S and a scoped dossier, and every administrateur (implicit Pré-demandes).
    #[arg(long, value_name = "S")]
    pub structure: Option<String>,
    /// Who held dossier CODE (its code or its label) on the day of --on.
    #[arg(long, value_name = "CODE")]
    pub dossier: Option<String>,
    /// The day of a --structure or --dossier question (YYYY-MM-DD, Europe/Brussels; default:
    /// today).
    #[arg(long, value_name = "DAY", requires = "subject", value_parser = parse_day)]
    pub on: Option<jiff::civil::Date>,
    /// Every change made by hand in the portal's web page, newest first.
    #[arg(long)]
    pub drift: bool,
    /// Only from this day (YYYY-MM-DD, Europe/Brussels): the intervals, holders' starts or
    /// changes from then on.
    #[arg(long, value_name = "DAY", value_parser = parse_day, conflicts_with = "verify")]
    pub since: Option<jiff::civil::Date>,
    /// Only up to this day, included (YYYY-MM-DD, Europe/Brussels).
    #[arg(long, value_name = "DAY", value_parser = parse_day, conflicts_with = "verify")]
    pub until: Option<jiff::civil::Date>,
    /// Walk the store's chain of hashes from its checkpoint and compare its heads with the
    /// journals' end lines: "verified from <run>" (exit 0) or the first run where it breaks
    /// (exit 1).
    #[arg(long)]
    pub verify: bool,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
    pub format: HistoryFormat,
    /// Also write the answer to FILE (repeatable; readable by its owner only): .xlsx (for
    /// --person, the answer to that person's access request), .csv, .html or .md.
    #[arg(long = "report", value_name = "FILE", conflicts_with = "verify")]
    pub reports: Vec<PathBuf>,
    #[command(flatten)]
    pub portal: PortalArgs,
}

fn parse_day(s: &str) -> Result<jiff::civil::Date, String> {
    CalendarDate::parse(s)
        .and_then(|d| civil(d).ok())
        .ok_or_else(|| t!("history-bad-day", value = s))
}

fn civil(d: CalendarDate) -> Result<jiff::civil::Date, jiff::Error> {
    let (y, m, day) = (
        i16::try_from(d.year).unwrap_or(i16::MAX),
        i8::try_from(d.month).unwrap_or(i8::MAX),
        i8::try_from(d.day).unwrap_or(i8::MAX),
    );
    jiff::civil::Date::new(y, m, day)
}

pub fn run(args: &HistoryArgs, settings: &Settings) -> Exit {
    use ReportKind::*;
    let reports = match ReportKind::of_all(
        &args.reports,
        &[Xlsx, Csv, Html, Markdown],
        &t!("history-report-extensions"),
    ) {
        Ok(r) => r,
        Err((message, hint)) => return settings.fail(message, &hint),
    };
    if args.verify {
        return verify(args.format, settings);
    }
    if let (Some(since), Some(until)) = (args.since, args.until)
        && until < since
    {
        return settings.fail(
            crate::msg!(
                "history-until-before-since",
                since = since.to_string(),
                until = until.to_string()
            ),
            "",
        );
    }
    let question = match question(args, settings) {
        Ok(q) => q,
        Err(exit) => return exit,
    };
    let store = match open(settings) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let report = match answer(&question, args, settings, store.as_ref()) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    deliver(args, settings, &report, store.is_some(), &reports)
}

/// The question, read and checked before the store is opened.
enum Question {
    Person(Named),
    On(Asked, jiff::civil::Date),
    Drift,
}

/// How `--person` named someone.
enum Named {
    Nrn(Nrn),
    Other(String),
}

/// What `--on` asks about, as given (a structure's name is resolved against the store).
enum Asked {
    Structure(String),
    Dossier(String),
}

fn question(args: &HistoryArgs, settings: &Settings) -> Result<Question, Exit> {
    if let Some(x) = &args.person {
        return named(x, settings).map(Question::Person);
    }
    let day = match args.on {
        Some(d) => d,
        None => civil(settings.input.today).map_err(|e| {
            settings.fail(crate::msg!("history-bad-day", value = e.to_string()), "")
        })?,
    };
    if let Some(s) = &args.structure {
        return Ok(Question::On(Asked::Structure(s.trim().to_owned()), day));
    }
    if let Some(d) = &args.dossier {
        let Some(dossier) = Dossier::recognise(d) else {
            return Err(settings.fail(
                crate::msg!("history-dossier-unknown", dossier = d.as_str()),
                crate::msg!(
                    "history-dossier-unknown-hint",
                    closest = Dossier::closest(d).join(", ")
                ),
            ));
        };
        return Ok(Question::On(Asked::Dossier(dossier.code().to_owned()), day));
    }
    Ok(Question::Drift)
}

/// Whether a value is meant as an NRN: digits and separators only, six digits or more (a
/// user id, an e-mail or a name has letters).
fn looks_like_nrn(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '/' | '\u{a0}'))
        && s.chars().filter(char::is_ascii_digit).count() >= 6
}

/// `--person X`, or one line of stdin for `--person -`: an NRN (checked, never echoed whole)
/// or anything else the store resolves.
fn named(x: &str, settings: &Settings) -> Result<Named, Exit> {
    let from_stdin = x.trim() == "-";
    let raw = if from_stdin {
        // A person at a terminal is asked; a pipe is read as it is.
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            eprint!("{} ", t!("history-person-prompt"));
        }
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            settings.fail(
                crate::msg!("history-stdin-unreadable", error = e.to_string()),
                "",
            )
        })?;
        line
    } else {
        x.to_owned()
    };
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(settings.fail(
            crate::msg!("history-person-empty"),
            crate::msg!("history-person-empty-hint"),
        ));
    }
    if !looks_like_nrn(raw) {
        return Ok(Named::Other(raw.to_owned()));
    }
    match Nrn::parse_text(raw, settings.input.today) {
        Ok((nrn, None)) => {
            if !from_stdin && !settings.quiet {
                settings.say(
                    "WARN",
                    crate::msg!("history-nrn-on-command-line"),
                    crate::msg!("history-nrn-on-command-line-hint"),
                );
            }
            Ok(Named::Nrn(nrn))
        }
        // Fewer than 11 digits is a typo here, not a spreadsheet that lost its zeros.
        Ok((_, Some(_))) | Err(_) => Err(settings.fail(
            crate::msg!("history-nrn-invalid", nrn = crate::model::mask_raw(raw)),
            "",
        )),
    }
}

/// The store, read-only: `None` when no apply has recorded it yet (said as a note); an older,
/// newer or unreadable store is refused in a sentence.
fn open(settings: &Settings) -> Result<Option<Store>, Exit> {
    match Store::open_ro(&settings.config.state_dir) {
        Opened::Ready(store) => Ok(Some(store)),
        Opened::Missing(path) => {
            if !settings.quiet {
                settings.say(
                    "WARN",
                    crate::msg!("history-missing", path = path.display().to_string()),
                    crate::msg!("history-missing-hint"),
                );
            }
            Ok(None)
        }
        // cli.md: history goes on without a store it cannot read (a note): the answer is then
        // incomplete, never "nobody". Only --verify refuses it.
        other => {
            let (message, hint) = why_unread(other);
            settings.say("WARN", message, hint);
            Ok(None)
        }
    }
}

/// An older, newer or unreadable store, said with its path.
fn refuse(settings: &Settings, opened: Opened) -> Exit {
    let (message, hint) = why_unread(opened);
    settings.fail(message, hint)
}

/// Why a store was not read: its sentence and hint.
fn why_unread(opened: Opened) -> (Msg, Msg) {
    match opened {
        Opened::Older { path, found } => (
            crate::msg!(
                "history-store-older",
                path = path.display().to_string(),
                found = found
            ),
            crate::msg!("history-store-older-hint"),
        ),
        Opened::Newer { path, found } => (
            crate::msg!(
                "history-store-newer",
                path = path.display().to_string(),
                found = found
            ),
            crate::msg!("history-store-newer-hint"),
        ),
        Opened::Unreadable(e) => (
            crate::msg!("history-store-unreadable", error = e.to_string()),
            crate::msg!("history-store-unreadable-hint"),
        ),
        Opened::Ready(_) | Opened::Missing(_) => (
            crate::msg!("history-missing", path = String::new()),
            crate::msg!("history-missing-hint"),
        ),
    }
}

/// A question the store could not answer (an SQLite error half-way): said, exit 1.
fn store_failed(settings: &Settings, e: &crate::history::HistoryError) -> Exit {
    settings.fail(
        crate::msg!("history-store-unreadable", error = e.to_string()),
        crate::msg!("history-store-unreadable-hint"),
    )
}

/// The bounds of `--since` / `--until` as the store's instants.
fn bounds(args: &HistoryArgs) -> (Option<String>, Option<String>) {
    let since = args
        .since
        .map(|d| crate::history::stamp(crate::history::day_bounds(d).0));
    let until = args
        .until
        .map(|d| crate::history::stamp(crate::history::day_bounds(d).1));
    (since, until)
}

fn answer(
    question: &Question,
    args: &HistoryArgs,
    settings: &Settings,
    store: Option<&Store>,
) -> Result<HistoryReport, Exit> {
    let today = civil(settings.input.today)
        .map_err(|e| settings.fail(crate::msg!("history-bad-day", value = e.to_string()), ""))?;
    let mut report = HistoryReport {
        observed: None,
        complete: false,
        since: args.since,
        until: args.until,
        today,
        answer: Answer::Drift {
            changes: Vec::new(),
        },
        structures: Default::default(),
    };
    let Some(store) = store else {
        report.answer = unanswered(question);
        return Ok(report);
    };
    let failed = |e: crate::history::HistoryError| store_failed(settings, &e);
    report.observed = store.observed().map_err(failed)?;
    report.structures = store.structures().map_err(failed)?;
    let (since, until) = bounds(args);
    report.answer = match question {
        Question::Person(named) => {
            let (id, nrn) = who_is(named, args, settings, store)?;
            let Some(p) = store
                .person(&id, since.as_deref(), until.as_deref())
                .map_err(failed)?
            else {
                return Err(settings.fail(
                    crate::msg!("history-person-not-recorded", id = id.as_str()),
                    "",
                ));
            };
            Answer::Person {
                people: vec![p],
                nrn,
            }
        }
        Question::On(asked, day) => {
            let subject = subject(asked, settings, &report)?;
            let on = store.on_day(&subject, *day).map_err(failed)?;
            report.complete = on.complete;
            let mut people = on.people;
            people.retain(|h| {
                since.as_deref().is_none_or(|s| h.since.as_str() >= s)
                    && until.as_deref().is_none_or(|u| h.since.as_str() < u)
            });
            Answer::On {
                on: on.on,
                subject,
                people,
            }
        }
        Question::Drift => Answer::Drift {
            changes: store
                .drift(since.as_deref(), until.as_deref())
                .map_err(failed)?,
        },
    };
    if !matches!(question, Question::On(..)) {
        report.complete = complete(store, since.as_deref()).map_err(failed)?;
    }
    Ok(report)
}

/// Whether the store observed the period a person or drift question asks about: from
/// `--since` (or the store's first observation) — not before its first observation nor its
/// retention's cut, and not wholly after its last observation.
fn complete(store: &Store, since: Option<&str>) -> Result<bool, crate::history::HistoryError> {
    let Some((_, last)) = store.observed()? else {
        return Ok(false);
    };
    let from = match since {
        Some(s) => s.to_owned(),
        None => match store.first_observed()? {
            Some(f) => f,
            None => return Ok(false),
        },
    };
    Ok(store.covers(&from)? && from <= last)
}

/// The answer of a store that does not exist yet: nobody named, nothing held — and
/// `complete: false`, never "nobody" as a full answer.
fn unanswered(question: &Question) -> Answer {
    match question {
        Question::Person(Named::Nrn(nrn)) => Answer::Person {
            people: Vec::new(),
            nrn: Some(nrn.masked()),
        },
        Question::Person(Named::Other(_)) => Answer::Person {
            people: Vec::new(),
            nrn: None,
        },
        Question::On(asked, day) => Answer::On {
            on: *day,
            subject: match asked {
                Asked::Structure(s) => Subject::Structure(
                    StructureId::recognise(s).map_or_else(|| s.clone(), |id| id.to_string()),
                ),
                Asked::Dossier(d) => Subject::Dossier(d.clone()),
            },
            people: Vec::new(),
        },
        Question::Drift => Answer::Drift {
            changes: Vec::new(),
        },
    }
}

/// `--structure S`: an id as it is; a name (any case or accent, « name (city) » too) matched
/// against the structures the store has seen, and refused when it names none or several.
fn subject(asked: &Asked, settings: &Settings, report: &HistoryReport) -> Result<Subject, Exit> {
    let s = match asked {
        Asked::Dossier(d) => return Ok(Subject::Dossier(d.clone())),
        Asked::Structure(s) => s,
    };
    if let Some(id) = StructureId::recognise(s) {
        return Ok(Subject::Structure(id.to_string()));
    }
    let want = crate::model::text::fold(s);
    let hits: Vec<&String> = report
        .structures
        .iter()
        .filter(|(_, (name, city))| {
            crate::model::text::fold(name) == want
                || crate::model::text::fold(&format!("{name} ({city})")) == want
        })
        .map(|(id, _)| id)
        .collect();
    match hits.as_slice() {
        [one] => Ok(Subject::Structure((*one).clone())),
        [] => Err(settings.fail(
            crate::msg!("history-structure-unknown", structure = s.as_str()),
            crate::msg!("history-structure-unknown-hint"),
        )),
        many => {
            let ids: Vec<String> = many.iter().map(|id| report.structure_label(id)).collect();
            Err(settings.fail(
                crate::msg!("history-structure-ambiguous", structure = s.as_str()),
                crate::msg!("history-structure-ambiguous-hint", ids = ids.join("; ")),
            ))
        }
    }
}

/// The user a `--person` names, and the NRN they were named by (masked): an NRN through the
/// portal's current users (read-only), anything else through the store.
fn who_is(
    named: &Named,
    args: &HistoryArgs,
    settings: &Settings,
    store: &Store,
) -> Result<(String, Option<String>), Exit> {
    let x = match named {
        Named::Nrn(nrn) => return by_nrn(nrn, args, settings).map(|id| (id, Some(nrn.masked()))),
        Named::Other(x) => x,
    };
    match store
        .resolve_person(x)
        .map_err(|e| store_failed(settings, &e))?
    {
        UserMatch::One(id) => Ok((id, None)),
        UserMatch::None => Err(settings.fail(
            crate::msg!("history-person-unknown", person = x.as_str()),
            crate::msg!("history-person-unknown-hint"),
        )),
        UserMatch::Many(candidates) => {
            let exit = settings.fail(
                crate::msg!(
                    "history-person-ambiguous",
                    person = x.as_str(),
                    count = candidates.len()
                ),
                crate::msg!("history-person-ambiguous-hint"),
            );
            for (id, email, name) in &candidates {
                settings.say_data(
                    "ERROR",
                    &format!("  {}", render::who(name, "", email, id)),
                    serde_json::json!({"user_id": id, "email": email, "name": name}),
                );
            }
            Err(exit)
        }
    }
}

/// The portal user whose NRN this is, read from the portal now (read-only calls).
fn by_nrn(nrn: &Nrn, args: &HistoryArgs, settings: &Settings) -> Result<String, Exit> {
    let (conn, rt) = super::connect::open(&args.portal, settings, &t!("why-history-nrn"))?;
    let observed = rt
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|e| settings.fail_portal(&e))?;
    observed
        .users
        .iter()
        .find(|u| u.nrn.as_ref() == Some(nrn))
        .map(|u| u.id.clone())
        .ok_or_else(|| {
            settings.fail(
                crate::msg!("history-nrn-unknown", nrn = nrn.masked()),
                crate::msg!("history-nrn-unknown-hint"),
            )
        })
}

/// The answer on stdout in its format, and in each `--report` file (0600: it is about
/// people).
fn deliver(
    args: &HistoryArgs,
    settings: &Settings,
    report: &HistoryReport,
    has_store: bool,
    reports: &[(&Path, ReportKind)],
) -> Exit {
    let stdout = match args.format {
        HistoryFormat::Text => render::text::render(report),
        HistoryFormat::Json => render::json::render(report),
        HistoryFormat::Csv => match render::csv::render(report) {
            Ok(s) => s,
            Err(e) => {
                return settings.fail(
                    crate::msg!("history-cannot-render", error = e.to_string()),
                    "",
                );
            }
        },
    };
    // Text says it in its own lines; the other formats carry `complete`, and a person reading
    // the terminal is told too (a missing store was said when it was opened).
    if has_store && !report.complete && args.format != HistoryFormat::Text && !settings.quiet {
        settings.say("WARN", crate::msg!("history-incomplete-note"), "");
    }
    if (!settings.quiet || args.format != HistoryFormat::Text)
        && let Err(exit) = settings.out(&stdout)
    {
        return exit;
    }
    for (path, kind) in reports {
        if let Err(e) = write_report(path, *kind, report) {
            return settings.fail(
                crate::msg!(
                    "report-cannot-write",
                    path = path.display().to_string(),
                    error = e.to_string()
                ),
                "",
            );
        }
    }
    Exit::Success
}

fn write_report(path: &Path, kind: ReportKind, report: &HistoryReport) -> std::io::Result<()> {
    let bytes = match kind {
        ReportKind::Xlsx => render::xlsx::render(report).map_err(std::io::Error::other)?,
        ReportKind::Csv => render::csv::render(report)
            .map_err(std::io::Error::other)?
            .into_bytes(),
        ReportKind::Html => render::html::render(report).into_bytes(),
        ReportKind::Markdown => render::markdown::render(report).into_bytes(),
        // Refused with the extensions before any work (`run`).
        ReportKind::Json | ReportKind::Text => render::json::render(report).into_bytes(),
    };
    crate::apply::write_private(path, &bytes)
}

/// `--verify`: the chain from its checkpoint, compared with the journals of the state
/// directory.
fn verify(format: HistoryFormat, settings: &Settings) -> Exit {
    let dir = &settings.config.state_dir;
    let verdict = match Store::open_ro(dir) {
        Opened::Ready(store) => match store.verify(dir) {
            Ok(v) => v,
            Err(e) => return store_failed(settings, &e),
        },
        // No store: nothing to walk — unless a journal anchors a head it should have.
        Opened::Missing(_) => match anchored_run(dir) {
            Some(run) => Verified::Breaks {
                run,
                why: "store-missing",
            },
            None => {
                return match settings.out(&verify_text(format, None)) {
                    Ok(()) => Exit::Success,
                    Err(exit) => exit,
                };
            }
        },
        other => return refuse(settings, other),
    };
    let exit = match verdict {
        Verified::Holds { .. } => Exit::Success,
        Verified::Breaks { .. } => Exit::Failed,
    };
    match settings.out(&verify_text(format, Some(&verdict))) {
        Ok(()) => exit,
        Err(out) => out,
    }
}

/// The first journal of `dir` whose `end` line carries a chain head.
fn anchored_run(dir: &Path) -> Option<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("journal-")
                .and_then(|n| n.strip_suffix(".jsonl"))
                .filter(|id| id.starts_with("run-"))
                .map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids.into_iter().find(|id| {
        crate::history::read_journal(&dir.join(format!("journal-{id}.jsonl")))
            .is_ok_and(|j| j.head.is_some())
    })
}

/// The verdict for a person (text) or a monitor (JSON); `None`: there is no store yet.
fn verify_text(format: HistoryFormat, verdict: Option<&Verified>) -> String {
    if format == HistoryFormat::Json {
        let v = match verdict {
            None => serde_json::json!({"verified": true, "from": null, "runs": 0, "anchors": 0}),
            Some(Verified::Holds {
                from,
                runs,
                anchors,
            }) => {
                serde_json::json!({"verified": true, "from": from, "runs": runs, "anchors": anchors})
            }
            Some(Verified::Breaks { run, why }) => {
                serde_json::json!({"verified": false, "run": run, "why": why})
            }
        };
        let mut doc = serde_json::json!({"format": render::HISTORY_FORMAT});
        if let (Some(doc), serde_json::Value::Object(v)) = (doc.as_object_mut(), v) {
            doc.extend(v);
        }
        return serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    }
    let line = match verdict {
        None | Some(Verified::Holds { from: None, .. }) => t!("history-verify-nothing"),
        Some(Verified::Holds {
            from: Some(from),
            runs,
            anchors,
        }) => t!(
            "history-verified",
            from = from.as_str(),
            runs = *runs,
            anchors = *anchors
        ),
        Some(Verified::Breaks { run, why }) => t!(
            "history-breaks",
            run = run.as_str(),
            why = t!("history-break-why", why = *why)
        ),
    };
    format!("{line}\n")
}
