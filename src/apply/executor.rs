//! Runs a plan's actions through the portal client: every call through its one rate limiter
//! and concurrency bound; a person's grants only after their creation, with the id the portal
//! returned; an `Idempotency-Key` on every creation; a 409 adopted only when the existing user
//! has the planned NRN. Grants and revocations go without If-Match (cli.md): the stale check of
//! a saved plan comes first, so a 412 cannot answer them. A permanent failure is an outcome, the
//! actions that depend on it are skipped with its reason, and everything else carries on. It
//! never computes the difference again: what to do is the plan's.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use tokio::task::JoinSet;

use crate::api::{User, headers, paths};
use crate::plan::{Action, Op};
use crate::portal::{Answer, PortalClient, PortalError};

use super::outcome::{Outcome, Reason, Status, Tally};

/// What is known of an action before this run sends anything (a resumed saved plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prior {
    /// The wanted state already holds.
    InEffect,
    /// A creation whose person now exists with the plan's NRN and e-mail: this user.
    Adopted(Arc<str>),
}

/// Told of every outcome as it happens (journal, progress), from the executor's own task.
pub trait Observer {
    fn outcome(&mut self, outcome: &Outcome, tally: &Tally);
    /// About once a second, so progress can be shown when nothing finishes for a while.
    fn tick(&mut self, _tally: &Tally) {}
    /// Whether new calls may start: no write without its journal line, so an observer whose
    /// journal cannot be written says no (the calls in flight still finish).
    fn keep_going(&self) -> bool {
        true
    }
}

#[derive(Debug, Clone)]
pub struct Execution {
    pub outcomes: Vec<Outcome>,
    pub tally: Tally,
    pub interrupted: bool,
    /// The run stopped starting calls because the portal stopped answering (the last reason).
    pub portal_down: Option<super::Reason>,
    pub elapsed: Duration,
}

/// This many actions in a row that found the portal unreachable (each after all its retries)
/// stop the run: a portal outage must not keep a nightly job retrying every action for hours.
pub const DOWN_AFTER: usize = 3;

/// `proone-sync-<fingerprint>-<action id>`: the same plan's same creation always sends the same
/// key, so a retry or a rerun of that plan cannot create twice.
pub fn idempotency_key(fingerprint: &str, action: u32) -> String {
    format!("proone-sync-{fingerprint}-{action}")
}

/// Runs `actions` (in the plan's order, creations first so that their grants are freed early)
/// with at most `concurrency` in flight. `prior` marks actions already in effect.
pub async fn execute(
    client: Arc<PortalClient>,
    actions: &[Action],
    prior: &HashMap<u32, Prior>,
    fingerprint: &str,
    concurrency: usize,
    observer: &mut dyn Observer,
) -> Execution {
    let started = Instant::now();
    let mut queue = Queue::new(actions);
    let mut run = Run {
        outcomes: Vec::with_capacity(actions.len()),
        tally: Tally::default(),
        observer,
    };
    let mut tasks: JoinSet<Outcome> = JoinSet::new();
    let mut task_action: HashMap<tokio::task::Id, u32> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let limit = concurrency.max(1);
    let mut down = Outage::default();
    loop {
        // After a call that found the portal down, nothing new starts while others are still in
        // flight: they tell whether it is down (a hung portal must not take one more timeout
        // budget per action started meanwhile); with none left, one more call is the probe.
        while tasks.len() < limit
            && !client.is_interrupted()
            && down.stopped.is_none()
            && (down.in_a_row == 0 || tasks.is_empty())
            && run.observer.keep_going()
        {
            let Some((action, user_id)) = queue.next() else {
                break;
            };
            if let Some(p) = prior.get(&action.id) {
                // Nothing to send: settle it here, then free its dependents as a success would.
                queue.settle(prior_outcome(action, user_id, p), &mut run);
                continue;
            }
            let client = client.clone();
            let key = idempotency_key(fingerprint, action.id);
            let (id, action) = (action.id, action.clone());
            let handle =
                tasks.spawn(async move { run_action(&client, &action, user_id, &key).await });
            task_action.insert(handle.id(), id);
        }
        if tasks.is_empty() {
            break;
        }
        tokio::select! {
            joined = tasks.join_next_with_id() => {
                let outcome = match joined {
                    Some(Ok((task, o))) => {
                        task_action.remove(&task);
                        o
                    }
                    Some(Err(e)) => {
                        let Some(id) = task_action.remove(&e.id()) else { continue };
                        let Some(action) = queue.by_id.get(&id) else { continue };
                        let mut o = outcome_of(action, action.user_id.clone());
                        o.status = Status::Failed;
                        o.reason = Some(Reason::InternalError {
                            detail: e.to_string(),
                        });
                        o
                    }
                    None => continue,
                };
                down.see(&outcome);
                queue.settle(outcome, &mut run);
            }
            _ = tick.tick() => run.observer.tick(&run.tally),
        }
    }
    let interrupted = client.is_interrupted();
    if !interrupted && down.stopped.is_none() && run.observer.keep_going() {
        skip_cycles(actions, &mut run);
    }
    // Interrupted or stopped: what never started (ready, or waiting on a creation that did not
    // run).
    run.tally.not_run = actions.len().saturating_sub(run.outcomes.len());
    Execution {
        outcomes: run.outcomes,
        tally: run.tally,
        interrupted,
        portal_down: down.stopped,
        elapsed: started.elapsed(),
    }
}

/// The outcome of an action that was in effect (or adopted) before this run.
fn prior_outcome(action: &Action, user_id: Option<Arc<str>>, p: &Prior) -> Outcome {
    let mut o = outcome_of(action, user_id);
    match p {
        Prior::InEffect => {
            o.status = Status::InEffect;
            o.reason = Some(Reason::AlreadyInEffect);
        }
        Prior::Adopted(u) => {
            o.status = Status::Adopted;
            o.user_id = Some(u.clone());
            o.reason = Some(Reason::AlreadyExists {
                user_id: u.to_string(),
            });
        }
    }
    o
}

/// `DOWN_AFTER` actions in a row that found the portal unreachable stop the run.
#[derive(Default)]
struct Outage {
    in_a_row: usize,
    /// Why the run stopped starting calls (the last reason), once it did.
    stopped: Option<Reason>,
}

impl Outage {
    fn see(&mut self, o: &Outcome) {
        if !o.portal_down {
            self.in_a_row = 0;
            return;
        }
        self.in_a_row += 1;
        // A call that got no answer has already waited for several tries of the timeout: one
        // is enough to stop (so a run at concurrency 1 is not held for three such budgets).
        let silent = o.reason.as_ref().is_some_and(Reason::is_no_answer);
        if (silent || self.in_a_row >= DOWN_AFTER) && self.stopped.is_none() {
            self.stopped = o.reason.clone();
        }
    }
}

/// Nothing stopped the run, yet some actions never became ready: they wait on each other (a
/// saved plan with a dependency cycle). Said, not silently left out.
fn skip_cycles(actions: &[Action], run: &mut Run<'_>) {
    if run.outcomes.len() >= actions.len() {
        return;
    }
    let settled: std::collections::HashSet<u32> = run.outcomes.iter().map(|o| o.action).collect();
    for a in actions.iter().filter(|a| !settled.contains(&a.id)) {
        let mut o = outcome_of(a, a.user_id.clone());
        o.status = Status::Skipped;
        o.reason = Some(Reason::DependencyCycle);
        run.record(o);
    }
}

struct Run<'o> {
    outcomes: Vec<Outcome>,
    tally: Tally,
    observer: &'o mut dyn Observer,
}

impl Run<'_> {
    fn record(&mut self, o: Outcome) {
        self.tally.add(o.status);
        self.observer.outcome(&o, &self.tally);
        self.outcomes.push(o);
    }
}

/// Which actions may start: those whose creation is done (with the user it stands for), in
/// the plan's order with creations first.
struct Queue<'a> {
    by_id: HashMap<u32, &'a Action>,
    dependents: HashMap<u32, Vec<u32>>,
    /// How many unfinished actions each waiting action still depends on.
    waiting_on: HashMap<u32, usize>,
    ready: VecDeque<u32>,
    /// The user each creation stands for, once known.
    created: HashMap<u32, Arc<str>>,
}

impl<'a> Queue<'a> {
    fn new(actions: &'a [Action]) -> Queue<'a> {
        let by_id: HashMap<u32, &Action> = actions.iter().map(|a| (a.id, a)).collect();
        let mut dependents: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut waiting_on: HashMap<u32, usize> = HashMap::new();
        for a in actions {
            let deps: Vec<u32> = a
                .depends_on
                .iter()
                .copied()
                .filter(|d| by_id.contains_key(d))
                .collect();
            if !deps.is_empty() {
                waiting_on.insert(a.id, deps.len());
                for d in deps {
                    dependents.entry(d).or_default().push(a.id);
                }
            }
        }
        let creations_first = actions
            .iter()
            .filter(|a| a.op == Op::CreateUser)
            .chain(actions.iter().filter(|a| a.op != Op::CreateUser));
        let ready = creations_first
            .filter(|a| !waiting_on.contains_key(&a.id))
            .map(|a| a.id)
            .collect();
        Queue {
            by_id,
            dependents,
            waiting_on,
            ready,
            created: HashMap::new(),
        }
    }

    /// The next action that may start, with the user it acts on (the created one's, if any).
    fn next(&mut self) -> Option<(&'a Action, Option<Arc<str>>)> {
        loop {
            let id = self.ready.pop_front()?;
            let Some(action) = self.by_id.get(&id).copied() else {
                continue;
            };
            let user_id = match action.depends_on.iter().find_map(|d| self.created.get(d)) {
                Some(u) => Some(u.clone()),
                None => action.user_id.clone(),
            };
            return Some((action, user_id));
        }
    }

    /// Records an outcome and frees (or skips) what depended on it.
    fn settle(&mut self, o: Outcome, run: &mut Run<'_>) {
        let id = o.action;
        let success = o.status.is_success();
        let user = o.user_id.clone();
        let status = o.status;
        run.record(o);
        let Some(deps) = self.dependents.get(&id) else {
            return;
        };
        match (success, user) {
            (true, Some(user)) => {
                self.created.insert(id, user);
                for d in deps {
                    let left = self.waiting_on.entry(*d).or_insert(1);
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        self.ready.push_back(*d);
                    }
                }
            }
            // Interrupted creations leave their grants for the next run.
            _ if status == Status::Interrupted => {}
            // Failed ones skip them, and what depends on those.
            _ => {
                let mut stack: Vec<u32> = deps.clone();
                while let Some(d) = stack.pop() {
                    let Some(a) = self.by_id.get(&d) else {
                        continue;
                    };
                    let mut s = outcome_of(a, a.user_id.clone());
                    s.status = Status::Skipped;
                    s.reason = Some(Reason::DependencyFailed { action: id });
                    run.record(s);
                    if let Some(more) = self.dependents.get(&d) {
                        stack.extend(more);
                    }
                }
            }
        }
    }
}

fn outcome_of(a: &Action, user_id: Option<Arc<str>>) -> Outcome {
    Outcome::of(a, user_id)
}

/// The route and method of a grant or revocation.
fn access_call(a: &Action, user: &str) -> Option<(Method, String)> {
    let dossier = || a.dossier.map(|d| paths::user_dossier(user, d.code()));
    let structure = || {
        a.structure
            .as_ref()
            .map(|sid| paths::user_structure(user, sid.as_str()))
    };
    match a.op {
        Op::GrantDossier => Some((Method::PUT, dossier()?)),
        Op::RevokeDossier => Some((Method::DELETE, dossier()?)),
        Op::GrantStructure => Some((Method::PUT, structure()?)),
        Op::RevokeStructure => Some((Method::DELETE, structure()?)),
        Op::CreateUser => None,
    }
}

async fn read_user(client: &PortalClient, id: &str) -> Result<(User, u32), String> {
    match client.call(Method::GET, &paths::user(id), None, &[]).await {
        Ok(a) if a.status.is_success() => serde_json::from_slice::<User>(&a.body)
            .map(|u| (u, a.attempts))
            .map_err(|e| format!("GET /users/{id}: unreadable answer: {e}")),
        Ok(a) => Err(format!(
            "GET /users/{id} answered {}: {}",
            a.status.as_u16(),
            a.detail()
        )),
        Err(e) => Err(format!("GET /users/{id}: {e}")),
    }
}

/// One action, start to end. Never panics on what the portal says.
pub async fn run_action(
    client: &PortalClient,
    action: &Action,
    user_id: Option<Arc<str>>,
    key: &str,
) -> Outcome {
    let started = Instant::now();
    let mut o = outcome_of(action, user_id.clone());
    match action.op {
        Op::CreateUser => create(client, action, key, &mut o).await,
        _ => match user_id {
            Some(user) => access(client, action, &user, &mut o).await,
            None => {
                o.reason = Some(Reason::NoUserId);
            }
        },
    }
    o.duration_ms = started.elapsed().as_millis() as u64;
    o
}

fn failed_call(o: &mut Outcome, e: &PortalError) {
    if let PortalError::Interrupted { attempts, .. } = e {
        o.status = Status::Interrupted;
        o.attempts = *attempts;
        o.reason = Some(if *attempts == 0 {
            Reason::InterruptedBeforeSent
        } else {
            Reason::InterruptedBetweenTries
        });
        return;
    }
    if let PortalError::Unreachable { attempts, .. } | PortalError::NoAnswer { attempts, .. } = e {
        o.attempts = *attempts;
        o.portal_down = true;
    }
    o.status = Status::Failed;
    o.reason = Some(Reason::of(e));
}

fn answered(o: &mut Outcome, a: &Answer) {
    o.http_status = Some(a.status.as_u16());
    o.attempts = a.attempts;
}

async fn create(client: &PortalClient, action: &Action, key: &str, o: &mut Outcome) {
    let Some(n) = &action.new_user else {
        o.reason = Some(Reason::NoPersonData);
        return;
    };
    let body = serde_json::json!({
        "last_name": n.last_name, "first_name": n.first_name, "email": n.email,
        "nrn": n.nrn.expose(), "consent": true,
    });
    let header = match HeaderValue::from_str(key) {
        Ok(v) => v,
        Err(_) => {
            o.reason = Some(Reason::BadIdempotencyKey);
            return;
        }
    };
    let headers = [(HeaderName::from_static(headers::IDEMPOTENCY_KEY), header)];
    let a = match client
        .call(Method::POST, "/users", Some(&body), &headers)
        .await
    {
        Ok(a) => a,
        Err(e) => return failed_call(o, &e),
    };
    answered(o, &a);
    match a.status.as_u16() {
        200..=299 => match serde_json::from_slice::<User>(&a.body) {
            Ok(u) => {
                o.user_id = Some(Arc::from(u.id.as_str()));
                o.status = Status::Done;
            }
            Err(e) => {
                o.reason = Some(Reason::CreatedUnreadable {
                    detail: e.to_string(),
                });
            }
        },
        409 => {
            let p = a.problem();
            let existing = p.as_ref().and_then(|p| p.existing_user_id.clone());
            let conflict = p
                .as_ref()
                .and_then(|p| p.conflict.clone())
                .unwrap_or_else(|| "?".into());
            let Some(existing) = existing else {
                o.reason = Some(Reason::ConflictWithoutUser { detail: a.detail() });
                return;
            };
            // Adopt only a user the portal shows with the planned NRN: anything else would give
            // this person's access to someone else.
            match read_user(client, &existing).await {
                Ok((u, tries)) => {
                    o.attempts += tries;
                    if u.nrn == n.nrn.expose() {
                        o.status = Status::Adopted;
                        o.user_id = Some(Arc::from(u.id.as_str()));
                        o.reason = Some(Reason::AdoptedSameNrn {
                            user_id: u.id.clone(),
                            conflict: conflict.clone(),
                        });
                    } else {
                        // Another NRN: the collision can only be the e-mail.
                        o.reason = Some(Reason::EmailOfAnother {
                            email: n.email.clone(),
                            user_id: u.id.clone(),
                            nrn: crate::model::mask_raw(&u.nrn),
                        });
                    }
                }
                Err(e) => {
                    o.reason = Some(Reason::ConflictUnreadable {
                        conflict,
                        user_id: existing.to_string(),
                        detail: e.to_string(),
                    });
                }
            }
        }
        _ => {
            o.reason = Some(Reason::Refused {
                status: a.status.as_u16(),
                detail: a.detail(),
            });
        }
    }
}

async fn access(client: &PortalClient, action: &Action, user: &str, o: &mut Outcome) {
    let Some((method, path)) = access_call(action, user) else {
        o.reason = Some(Reason::NoItem);
        return;
    };
    let a = match client.call(method, &path, None, &[]).await {
        Ok(a) => a,
        Err(e) => return failed_call(o, &e),
    };
    answered(o, &a);
    match a.status.as_u16() {
        200..=299 => o.status = Status::Done,
        status => {
            o.reason = Some(Reason::Refused {
                status,
                detail: a.detail(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_waiting_on_each_other_are_skipped_not_forgotten() {
        use crate::model::{Dossier, Location};
        struct Quiet;
        impl Observer for Quiet {
            fn outcome(&mut self, _: &Outcome, _: &Tally) {}
        }
        let client = PortalClient::new(crate::portal::ClientSettings {
            url: "http://127.0.0.1:9/api/v1".into(),
            token: secrecy::SecretString::from("t".to_owned()),
            rate_limit: None,
            concurrency: 1,
            timeout: Duration::from_secs(1),
            retry: crate::portal::RetryPolicy::default(),
            ca_file: None,
            max_body: crate::portal::DEFAULT_MAX_BODY,
        })
        .unwrap();
        let action = |id: u32, on: u32| Action {
            id,
            op: Op::GrantDossier,
            email: Arc::from("x@y.be"),
            user_id: Some(Arc::from("u-1")),
            dossier: Some(Dossier::Bilans),
            structure: None,
            depends_on: vec![on],
            sources: Arc::from(vec![Location::file("t", 0)]),
            new_user: None,
            ended: None,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let run = rt.block_on(execute(
            Arc::new(client),
            &[action(1, 2), action(2, 1)],
            &HashMap::new(),
            "fp",
            1,
            &mut Quiet,
        ));
        assert_eq!(run.tally.skipped, 2);
        assert_eq!(run.tally.not_run, 0);
        assert!(!run.interrupted && run.portal_down.is_none());
    }

    #[test]
    fn the_idempotency_key_follows_plan_and_action() {
        assert_eq!(idempotency_key("0123abcd", 7), "proone-sync-0123abcd-7");
        assert_ne!(
            idempotency_key("0123abcd", 7),
            idempotency_key("0123abce", 7)
        );
    }
}
