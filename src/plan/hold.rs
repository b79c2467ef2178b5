//! Held changes (cli.md "Held changes"): which actions a tripped guard holds under
//! `on_trip = "hold"` — every revocation when the revocation guard trips; every creation and
//! the grants that depend on one when the creation guard trips — and how the held ones become
//! a plan of their own, numbered 1…n in the plan's canonical order so that the same held
//! actions give the same fingerprint night after night.

use std::collections::HashMap;

use crate::model::{ObservedState, ObservedUser, Problem};

use super::{Action, Mode, Op, PersonOutcome, PersonPlan, Plan, Summary};

/// What `apply` does when a guard trips (`[guards] on_trip`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnTrip {
    /// Apply the rest, save the tripped kind as a held plan for approval (exit 5).
    #[default]
    Hold,
    /// Nothing is written (exit 1).
    Stop,
}

/// Which guards tripped (and were not allowed by `--allow-mass-change`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tripped {
    pub revocations: bool,
    pub creations: bool,
}

impl Tripped {
    pub fn any(self) -> bool {
        self.revocations || self.creations
    }

    /// Whether a guard that tripped holds `a`.
    pub fn holds(self, a: &Action) -> bool {
        let revocation = matches!(a.op, Op::RevokeDossier | Op::RevokeStructure);
        // Only a grant to a person the plan creates depends on anything.
        let creation = a.op == Op::CreateUser || !a.depends_on.is_empty();
        (self.revocations && revocation) || (self.creations && creation)
    }

    /// The names a saved plan keeps (`"revocations"`, `"creations"`).
    pub fn names(self) -> Vec<String> {
        let mut v = Vec::new();
        if self.revocations {
            v.push("revocations".to_owned());
        }
        if self.creations {
            v.push("creations".to_owned());
        }
        v
    }

    /// Read back from a saved plan; one saved before the names were kept, with its guard
    /// tripped, holds both kinds (the safe reading).
    pub fn from_names(names: &[String], guard_tripped: bool) -> Tripped {
        if names.is_empty() {
            return Tripped {
                revocations: guard_tripped,
                creations: guard_tripped,
            };
        }
        Tripped {
            revocations: names.iter().any(|n| n == "revocations"),
            creations: names.iter().any(|n| n == "creations"),
        }
    }
}

/// `actions` split into what runs now and what is held (both in plan order, ids kept).
pub fn split(actions: Vec<Action>, tripped: Tripped) -> (Vec<Action>, Vec<Action>) {
    actions.into_iter().partition(|a| !tripped.holds(a))
}

/// The actions numbered 1…n in their order, `depends_on` following the new numbers (a
/// dependency outside the set is dropped: it is done already).
pub fn renumber(actions: Vec<Action>) -> Vec<Action> {
    let new_ids: HashMap<u32, u32> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id, i as u32 + 1))
        .collect();
    actions
        .into_iter()
        .map(|mut a| {
            a.id = new_ids.get(&a.id).copied().unwrap_or(a.id);
            a.depends_on = a
                .depends_on
                .iter()
                .filter_map(|d| new_ids.get(d).copied())
                .collect();
            a
        })
        .collect()
}

/// Why a plan is held, for `held_plan`: the mode, the guards that tripped and what they said.
pub struct HeldFrom<'a> {
    pub mode: Mode,
    pub tripped: Tripped,
    /// The guards' problems of the plan that tripped (they say why it is held).
    pub problems: &'a [Problem],
    /// The scope of the plan that tripped (under the held plan's fingerprint too).
    pub scope: crate::model::ScopeMode,
    /// Its leavers: those whose revocations are held stay leavers on the held plan's page.
    pub leavers: &'a [PersonPlan],
}

/// The held actions as a plan of their own, against `after` — the portal as it stands once the
/// rest was applied: actions already in effect there are left out, the rest renumbered, and
/// each person shown from what they hold in `after` to what the held actions make of it.
pub fn held_plan(held: Vec<Action>, from: &HeldFrom<'_>, after: &ObservedState) -> Plan {
    let users: HashMap<&str, &ObservedUser> =
        after.users.iter().map(|u| (u.id.as_str(), u)).collect();
    let user_of = |a: &Action| a.user_id.as_deref().and_then(|id| users.get(id).copied());
    let pending: Vec<Action> = held
        .into_iter()
        .filter(|a| match user_of(a) {
            Some(u) => !a.in_effect(
                |code| u.dossiers.iter().any(|d| d.code() == code),
                |s| u.structures.iter().any(|x| x.as_str() == s),
            ),
            None => true,
        })
        .collect();
    let actions = renumber(pending);
    // Actions are sorted by person: one PersonPlan per run of the same e-mail.
    let mut people: Vec<PersonPlan> = Vec::new();
    for a in &actions {
        if people.last().is_none_or(|p| p.email != *a.email) {
            people.push(person_of(a, user_of(a)));
        }
        if let Some(p) = people.last_mut() {
            p.apply(a);
        }
    }
    // A leaver's revocations are theirs: shown apart from the people, as on the plan.
    let held_users: std::collections::HashSet<&str> = actions
        .iter()
        .filter_map(|a| a.user_id.as_deref())
        .collect();
    let leavers: Vec<PersonPlan> = from
        .leavers
        .iter()
        .filter(|l| {
            l.user_id
                .as_deref()
                .is_some_and(|id| held_users.contains(id))
        })
        .cloned()
        .collect();
    let leaver_ids: std::collections::BTreeSet<String> =
        leavers.iter().filter_map(|l| l.user_id.clone()).collect();
    people.retain(|p| p.user_id.as_ref().is_none_or(|id| !leaver_ids.contains(id)));
    let count = |op: Op| actions.iter().filter(|a| a.op == op).count();
    let problems: Vec<Problem> = from
        .problems
        .iter()
        .filter(|p| p.code().starts_with("guard-"))
        .cloned()
        .collect();
    let summary = Summary {
        create_user: count(Op::CreateUser),
        grant_dossier: count(Op::GrantDossier),
        grant_structure: count(Op::GrantStructure),
        revoke_dossier: count(Op::RevokeDossier),
        revoke_structure: count(Op::RevokeStructure),
        held: actions.len(),
        warnings: problems.len(),
        ..Summary::default()
    };
    Plan {
        mode: from.mode,
        actions,
        summary,
        problems,
        people,
        unlisted: Vec::new(),
        guard_tripped: true,
        tripped: from.tripped,
        on_trip: OnTrip::Hold,
        scope: from.scope,
        leavers,
        leaver_ids,
        upcoming: Vec::new(),
        ending: Vec::new(),
    }
}

/// A person of a held plan as `after` shows them (nobody yet, for a creation).
fn person_of(a: &Action, user: Option<&ObservedUser>) -> PersonPlan {
    let name = match (user, &a.new_user) {
        (Some(u), _) => super::draft::full_name(&u.last_name, &u.first_name),
        (None, Some(n)) => super::draft::full_name(&n.last_name, &n.first_name),
        (None, None) => String::new(),
    };
    let dossiers = user.map(|u| u.dossiers).unwrap_or_default();
    let structures = user.map(|u| u.structures.clone()).unwrap_or_default();
    PersonPlan {
        email: a.email.to_string(),
        name,
        user_id: a.user_id.as_deref().map(str::to_owned),
        outcome: if user.is_some() {
            PersonOutcome::Update
        } else {
            PersonOutcome::Create
        },
        admin: user.is_some_and(|u| u.admin),
        dossiers_before: dossiers,
        dossiers_after: dossiers,
        structures_before: structures.clone(),
        structures_after: structures,
        sources: a.sources.clone(),
    }
}

impl PersonPlan {
    /// What `a` does to the person's access after.
    pub(super) fn apply(&mut self, a: &Action) {
        match (a.op, a.dossier, &a.structure) {
            (Op::GrantDossier, Some(d), _) => {
                self.dossiers_after.insert(d);
            }
            (Op::RevokeDossier, Some(d), _) => {
                self.dossiers_after.remove(d);
            }
            (Op::GrantStructure, _, Some(s)) => {
                self.structures_after.insert(s.clone());
            }
            (Op::RevokeStructure, _, Some(s)) => {
                self.structures_after.remove(s);
            }
            _ => {}
        }
    }
}
