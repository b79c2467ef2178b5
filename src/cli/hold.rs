//! The end of an apply whose guard tripped under `on_trip = "hold"`: the held actions become a
//! held plan, planned against the portal as it stands after the rest was applied, saved with
//! its review page and ticket — or kept when the same plan is already held (a reminder every
//! `remind_days`), or left out when the same plan was rejected. Other pending held plans of its
//! source are superseded by a new one (the store decides all of that; this file renders it).

use std::time::SystemTime;

use crate::apply::held::{self, HeldState, Holding, Record};
use crate::apply::outcome::rfc3339;
use crate::model::Problem;
use crate::plan::hold::{HeldFrom, held_plan};
use crate::plan::{Action, Plan, SavedPlan, Tripped};
use crate::report::plan::PlanReport;
use crate::t;

use super::night::{HeldNow, Night, Phase};
use super::words::{approver, command};
use super::{Exit, Settings};

/// The phase the held actions come from, and why they are held.
pub struct From<'a> {
    pub phase: Phase<'a>,
    pub tripped: Tripped,
    pub problems: &'a [Problem],
    pub scope: crate::model::ScopeMode,
    pub leavers: &'a [crate::plan::PersonPlan],
}

/// Days since an RFC 3339 time (none for a time that does not parse).
fn days_since(at: &str, now: SystemTime) -> Option<f64> {
    let then: jiff::Timestamp = at.parse().ok()?;
    let now = jiff::Timestamp::try_from(now).ok()?;
    Some((now.as_second() - then.as_second()) as f64 / 86_400.0)
}

/// Whether a held plan kept from an earlier run is told again now: a pending one, last told
/// `remind_days` or more ago (or never, or at a time that does not read).
fn reminder_due(
    state: HeldState,
    notified: Option<&Record>,
    now: SystemTime,
    remind_days: u32,
) -> bool {
    state == HeldState::Pending
        && notified
            .is_none_or(|n| days_since(&n.at, now).is_none_or(|d| d >= f64::from(remind_days)))
}

/// Keeps the held actions as a held plan (or finds it kept or rejected), tells the run.
pub fn keep(
    from: &From<'_>,
    held: Vec<Action>,
    night: &mut Night<'_>,
    settings: &Settings,
) -> Result<(), Exit> {
    let p = &from.phase;
    let after = p
        .runtime
        .block_on(crate::portal::fetch_observed(
            p.client,
            settings.input.today,
        ))
        .map_err(|e| {
            night.fail();
            settings.fail(
                crate::msg!(
                    "held-save-portal",
                    error = crate::report::messages::portal_error(&e).to_string()
                ),
                crate::msg!("held-save-portal-hint"),
            )
        })?;
    night.observed(super::recorder::seen(&after));
    night.journal_held(p, &held)?;
    let why = HeldFrom {
        mode: p.mode,
        tripped: from.tripped,
        problems: from.problems,
        scope: from.scope,
        leavers: from.leavers,
    };
    let plan = held_plan(held, &why, &after);
    if plan.actions.is_empty() {
        return Ok(());
    }
    let now = SystemTime::now();
    let mut saved = SavedPlan::held(&plan, p.portal, &after, rfc3339(now));
    saved.today = Some(settings.input.today.to_string());
    if saved.source != p.plan_source {
        saved.source = p.plan_source.to_owned();
        saved.fingerprint = saved.recompute_fingerprint();
    }
    let fingerprint = saved.fingerprint.clone();
    let dir = &settings.config.state_dir;
    let (html, markdown) = pages(&plan, &saved, &after, settings);
    let holding = night.store.hold(&saved, &html, &markdown).map_err(|e| {
        night.fail();
        settings.fail(
            crate::msg!(
                "held-cannot-save",
                dir = dir.display().to_string(),
                error = e.to_string()
            ),
            crate::msg!("held-cannot-save-hint"),
        )
    })?;
    let html = held::plan_path(dir, &fingerprint).with_extension("html");
    let Some(tell) = told_now(holding, &plan, &fingerprint, now, night, settings) else {
        return Ok(());
    };
    let notice = notice(&plan, &fingerprint, &html, settings);
    if !settings.quiet {
        settings.out(&format!(
            "{}\n",
            t!(
                "held-saved",
                count = plan.actions.len(),
                fingerprint = &fingerprint,
                page = html.display().to_string(),
                command = command(settings, "approve", &fingerprint)
            )
        ))?;
    }
    night.markdown(&notice);
    night.held = Some(HeldNow {
        fingerprint,
        html,
        tell,
    });
    Ok(())
}

/// Whether the held plan is told now (new, or a reminder is due); `None` when it is left out
/// (rejected, or partial), said in the run's log and report.
fn told_now(
    holding: Holding,
    plan: &Plan,
    fingerprint: &str,
    now: SystemTime,
    night: &mut Night<'_>,
    settings: &Settings,
) -> Option<bool> {
    match holding {
        Holding::Rejected(r) => {
            let line = t!(
                "held-rejected",
                count = plan.actions.len(),
                fingerprint = fingerprint,
                by = approver(r.by.as_deref()),
                at = &r.at
            );
            settings.say("WARN", &line, "");
            night.markdown(&format!("## {}\n\n{line}.\n", t!("md-held-rejected")));
            None
        }
        // Its approval was applied and some actions failed: cli.md keeps it `partial`, never
        // held again as pending (the failures are in that run's report; the next plan differs
        // once anything of it changed).
        Holding::Partial => {
            let line = t!(
                "held-partial-again",
                count = plan.actions.len(),
                fingerprint = fingerprint
            );
            settings.say("WARN", &line, "");
            night.markdown(&format!("## {}\n\n{line}.\n", t!("md-held-partial")));
            None
        }
        Holding::Kept => Some(night.store.get(fingerprint).is_some_and(|e| {
            reminder_due(
                e.state,
                e.notified.as_ref(),
                now,
                settings.config.remind_days,
            )
        })),
        Holding::New { .. } => Some(true),
    }
}

/// What the held plan's ticket and the run's report say of it: the fingerprint, what waits,
/// where to review it, the commands that approve or reject it.
fn notice(plan: &Plan, fingerprint: &str, html: &std::path::Path, settings: &Settings) -> String {
    let s = &plan.summary;
    format!(
        "## {}\n\n{}\n\n- {}\n- {}\n- {}\n",
        t!("md-held-title", fingerprint = fingerprint),
        t!(
            "md-held-body",
            count = plan.actions.len(),
            create = s.create_user,
            grant_dossier = s.grant_dossier,
            grant_structure = s.grant_structure,
            revoke_dossier = s.revoke_dossier,
            revoke_structure = s.revoke_structure
        ),
        t!("md-held-review", page = html.display().to_string()),
        t!(
            "md-held-approve",
            command = command(settings, "approve", fingerprint)
        ),
        t!(
            "md-held-reject",
            command = command(settings, "reject", fingerprint)
        ),
    )
}

/// The held plan's review page and ticket.
fn pages(
    plan: &Plan,
    saved: &SavedPlan,
    after: &crate::model::ObservedState,
    settings: &Settings,
) -> (String, String) {
    let organisation = format!("{} ({})", after.organisation.name, after.organisation.id);
    let report = PlanReport::new(
        plan,
        &saved.fingerprint,
        &[],
        0,
        &after.structures,
        &organisation,
    );
    let html = crate::report::html::html(&report);
    let path = held::plan_path(&settings.config.state_dir, &saved.fingerprint);
    let markdown = format!(
        "{}\n{}",
        notice(
            plan,
            &saved.fingerprint,
            &path.with_extension("html"),
            settings
        ),
        crate::report::plan::markdown(&report)
    );
    (html, markdown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn a_pending_plan_is_told_again_every_remind_days() {
        let told = |at: &str| Record::new("00112233aabbccdd", at.to_owned());
        // 2026-12-04T02:30:00Z.
        let now = UNIX_EPOCH + Duration::from_secs(1_796_351_400);
        let three_days_ago = told("2026-12-01T02:30:00.000Z");
        let yesterday = told("2026-12-03T02:30:00.000Z");
        assert!(reminder_due(
            HeldState::Pending,
            Some(&three_days_ago),
            now,
            3
        ));
        assert!(!reminder_due(HeldState::Pending, Some(&yesterday), now, 3));
        assert!(reminder_due(HeldState::Pending, Some(&yesterday), now, 1));
        assert!(reminder_due(HeldState::Pending, None, now, 3));
        assert!(reminder_due(
            HeldState::Pending,
            Some(&told("garbled")),
            now,
            3
        ));
        // An approved plan waits for the next apply, not for a person: no reminder.
        assert!(!reminder_due(
            HeldState::Approved,
            Some(&three_days_ago),
            now,
            3
        ));
    }
}
