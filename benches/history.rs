//! The history store at the size evidence.md names: three years of nightly runs (1,095) of an
//! organisation of 1,000 users over 100 structures, with a few changes by the job every night
//! and one by hand every third night, built through the store's own `record` (the path an apply
//! takes). Reports, against evidence.md's targets:
//! - the cost a run adds to an apply of 1,000 users with nothing to do (open, import check,
//!   record one read): target ≤ 50 ms;
//! - the store's size on disk: target ≤ 50 MB;
//! - each question's time (a person's timeline, who could see a structure or held a dossier on
//!   a day a year ago, every change by hand, a name looked up, the chain verified): target
//!   ≤ 200 ms each.
//!
//!     cargo bench --bench history
//!
//! The store is built in `target/bench-history/` (kept, to look at with `sqlite3`).

use std::time::{Duration, Instant};

use proone_sync::history::{
    Event, Item, JobWrite, Kind, RunEntry, SnapUser, Snapshot, Store, Subject,
};

const USERS: usize = 1_000;
const STRUCTURES: usize = 100;
const NIGHTS: i64 = 1_095;
const JOB_CHANGES_A_NIGHT: usize = 3;
const DOSSIERS: [&str; 7] = [
    "accueil-petite-enfance",
    "mon-equipe",
    "appel-projets-cigogne-5200",
    "tous-les-projets",
    "prepacc-autorisation",
    "pre-demandes",
    "bilans",
];

/// A small deterministic generator (xorshift), so every run builds the same store.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn structure(i: usize) -> String {
    format!("MA-{:05}", 1 + i)
}

/// The organisation on the first night.
fn organisation(rng: &mut Rng) -> Vec<SnapUser> {
    (0..USERS)
        .map(|i| {
            let mut items = Vec::new();
            for _ in 0..1 + rng.below(3) {
                items.push(Item {
                    kind: Kind::Dossier,
                    code: DOSSIERS[rng.below(DOSSIERS.len())].to_owned(),
                });
            }
            for _ in 0..1 + rng.below(2) {
                items.push(Item {
                    kind: Kind::Structure,
                    code: structure(rng.below(STRUCTURES)),
                });
            }
            if i % 100 == 0 {
                items.push(Item {
                    kind: Kind::Profile,
                    code: "administrateur".into(),
                });
            }
            items.sort();
            items.dedup();
            SnapUser {
                id: format!("u-{:06}", i + 1),
                email: format!("person{i}@lespetitspas.be"),
                last_name: format!("Nom{i}"),
                first_name: format!("Prénom{i}"),
                items,
            }
        })
        .collect()
}

fn toggle(user: &mut SnapUser, item: Item) -> bool {
    match user.items.iter().position(|x| *x == item) {
        Some(i) => {
            user.items.remove(i);
            false
        }
        None => {
            user.items.push(item);
            user.items.sort();
            true
        }
    }
}

fn structures() -> Vec<(String, String, String)> {
    (0..STRUCTURES)
        .map(|i| (structure(i), format!("Crèche {i}"), "Namur".to_owned()))
        .collect()
}

fn night_start(first: jiff::Timestamp, n: i64) -> jiff::Timestamp {
    first
        .checked_add(jiff::SignedDuration::from_hours(24 * n))
        .unwrap_or(first)
}

/// Builds the store: one run a night, the read first, then the job's writes.
fn build(dir: &std::path::Path) -> (Vec<SnapUser>, jiff::Timestamp) {
    let mut rng = Rng(0x5eed_cafe);
    let mut users = organisation(&mut rng);
    let now = jiff::Timestamp::now();
    let first = night_start(now, -NIGHTS);
    let mut store = Store::open_rw(dir).expect("store");
    let started = Instant::now();
    for n in 0..NIGHTS {
        let at = night_start(first, n);
        if n > 0 && n % 3 == 0 {
            // Someone ticks or unticks a structure in the web page.
            let u = rng.below(USERS);
            let s = structure(rng.below(STRUCTURES));
            toggle(
                &mut users[u],
                Item {
                    kind: Kind::Structure,
                    code: s,
                },
            );
        }
        let mut events = vec![Event::Read(Snapshot {
            at,
            users: users.clone(),
            structures: structures(),
        })];
        for k in 0..JOB_CHANGES_A_NIGHT {
            let u = rng.below(USERS);
            let code = DOSSIERS[rng.below(DOSSIERS.len())].to_owned();
            let grant = toggle(
                &mut users[u],
                Item {
                    kind: Kind::Dossier,
                    code: code.clone(),
                },
            );
            events.push(Event::Wrote(JobWrite {
                line: k + 1,
                at: at
                    .checked_add(jiff::SignedDuration::from_secs(1 + k as i64))
                    .unwrap_or(at),
                action: k as u32 + 1,
                op: if grant {
                    "grant_dossier"
                } else {
                    "revoke_dossier"
                }
                .into(),
                status: "done".into(),
                user_id: Some(users[u].id.clone()),
                email: users[u].email.clone(),
                dossier: Some(code),
                structure: None,
                names: None,
                sources: vec![format!("personnel.xlsx:Personnel:{}", u + 2)],
                approved_by: None,
            }));
        }
        let id = format!("run-{}", at.strftime("%Y%m%dT%H%M%SZ"));
        store
            .record(
                &RunEntry {
                    id,
                    started: at,
                    imported: false,
                    events,
                },
                730,
            )
            .expect("record");
    }
    println!(
        "built {NIGHTS} nightly runs of {USERS} users in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    (users, now)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn say(what: &str, took: Duration, target_ms: f64) {
    let ms = took.as_secs_f64() * 1000.0;
    let verdict = if ms <= target_ms { "ok" } else { "MISSED" };
    println!("{what:<58} {ms:>9.2} ms  (target ≤ {target_ms} ms: {verdict})");
}

fn time<T>(times: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut all = Vec::with_capacity(times);
    for _ in 0..times {
        let t = Instant::now();
        std::hint::black_box(f());
        all.push(t.elapsed());
    }
    median(all)
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-history");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let (users, now) = build(&dir);
    // The cost of a night with nothing to do: open under the lock, look for journals to import,
    // record one read of the unchanged portal.
    let mut costs = Vec::new();
    for i in 0..20 {
        let at = night_start(now, 0)
            .checked_add(jiff::SignedDuration::from_secs(i))
            .unwrap_or(now);
        let t = Instant::now();
        let mut store = Store::open_rw(&dir).expect("store");
        let id = format!("run-{}-{i}", at.strftime("%Y%m%dT%H%M%SZ"));
        store.import_journals(&dir, &id, 730).expect("import");
        let (_, drift) = store
            .record(
                &RunEntry {
                    id,
                    started: at,
                    imported: false,
                    events: vec![Event::Read(Snapshot {
                        at,
                        users: users.clone(),
                        structures: structures(),
                    })],
                },
                730,
            )
            .expect("record");
        drop(store);
        costs.push(t.elapsed());
        assert!(drift.is_empty(), "nothing changed: {drift:?}");
    }
    let worst = costs.iter().max().copied().unwrap_or_default();
    say(
        "a run of 1,000 users with nothing to do (median of 20)",
        median(costs),
        50.0,
    );
    say("  the slowest of those 20", worst, 50.0);
    let size: u64 = ["history.sqlite", "history.sqlite-wal", "history.sqlite-shm"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    let mb = size as f64 / 1_000_000.0;
    println!(
        "{:<58} {mb:>9.2} MB  (target ≤ 50 MB: {})",
        "the store after three years",
        if mb <= 50.0 { "ok" } else { "MISSED" }
    );
    let store = match Store::open_ro(&dir) {
        proone_sync::history::Opened::Ready(s) => s,
        _ => panic!("the store does not open read-only"),
    };
    let year_ago = jiff::tz::TimeZone::get("Europe/Brussels")
        .map(|tz| tz.to_datetime(night_start(now, -365)).date())
        .expect("tz");
    let busiest = (0..USERS)
        .map(|i| format!("u-{:06}", i + 1))
        .max_by_key(|u| {
            store.person(u, None, None).ok().flatten().map_or(0, |p| {
                p.access.iter().map(|a| a.intervals.len()).sum::<usize>()
            })
        })
        .unwrap_or_default();
    say(
        &format!("history --person {busiest} (the longest timeline)"),
        time(5, || store.person(&busiest, None, None).expect("person")),
        200.0,
    );
    say(
        "history --person by full name",
        time(5, || {
            store.resolve_person("Prénom500 Nom500").expect("name")
        }),
        200.0,
    );
    say(
        &format!("history --structure MA-00001 --on {year_ago}"),
        time(5, || {
            store
                .on_day(&Subject::Structure(structure(0)), year_ago)
                .expect("on")
        }),
        200.0,
    );
    say(
        &format!("history --dossier pre-demandes --on {year_ago}"),
        time(5, || {
            store
                .on_day(&Subject::Dossier("pre-demandes".into()), year_ago)
                .expect("on")
        }),
        200.0,
    );
    say(
        "history --drift (every change by hand)",
        time(5, || store.drift(None, None).expect("drift")),
        200.0,
    );
    say(
        "history --verify (the whole chain)",
        time(3, || store.verify(&dir).expect("verify")),
        200.0,
    );
    let on = store
        .on_day(&Subject::Structure(structure(0)), year_ago)
        .expect("on");
    println!(
        "(MA-00001 on {year_ago}: {} people; {} changes by hand in all)",
        on.people.len(),
        store.drift(None, None).map(|d| d.len()).unwrap_or(0)
    );
}
