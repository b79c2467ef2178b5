//! The portal emulator over real HTTP on loopback: every endpoint's success and every error it
//! can give, paging while others write, concurrent writers, idempotent replay after a dropped
//! answer, the rate limit, faults, persistence, stats, problem+json everywhere, and the OpenAPI
//! document against the routes served.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use proone_sync::emulator::{EmulatorConfig, Faults, ROUTES, RunningEmulator};
use proone_sync::model::{CalendarDate, check_digits};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const ADMIN: &str = "tok-admin-7f3c9a";
const GESTION: &str = "tok-gestion-2b81d4";
const NO_PROFILE: &str = "tok-noprofile-5e0d17";

fn config(faults: Faults) -> EmulatorConfig {
    let mut c = EmulatorConfig::local(common::fixture("portal-seed.json"));
    c.faults = faults;
    c.today = CalendarDate {
        year: 2026,
        month: 11,
        day: 28,
    };
    c
}

fn start(faults: Faults) -> RunningEmulator {
    RunningEmulator::start(config(faults)).unwrap_or_else(|e| panic!("emulator: {e}"))
}

struct Api {
    base: String,
    client: Client,
}

impl Api {
    fn new(e: &RunningEmulator) -> Api {
        proone_sync::portal::install_tls_provider();
        Api {
            base: e.base_url(),
            client: Client::new(),
        }
    }

    /// A call as the administrateur, with no body.
    async fn admin(
        &self,
        method: Method,
        path: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        self.call(method, path, Some(ADMIN), None).await
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            let ct = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert_eq!(ct, "application/problem+json", "{status} {path}: {text}");
        }
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, headers, value)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::GET, path, Some(ADMIN), None).await;
        (s, v)
    }

    async fn put(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap) {
        let (s, h, _) = self.call(Method::PUT, path, Some(ADMIN), None).await;
        (s, h)
    }

    /// Every item of a paginated collection, following `next_cursor`.
    async fn walk(&self, path: &str, limit: usize) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}?limit={limit}&cursor={c}"),
                None => format!("{path}?limit={limit}"),
            };
            let (s, page) = self.get(&url).await;
            assert_eq!(s, 200, "{page}");
            let got = page["items"].as_array().unwrap().clone();
            assert!(got.len() <= limit);
            items.extend(got);
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return items,
            }
        }
    }

    async fn stats(&self, e: &RunningEmulator) -> Value {
        self.client
            .get(e.stats_url())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

fn nrn(first9: u64) -> String {
    format!("{first9:09}{:02}", check_digits(first9, false))
}

fn etag(h: &reqwest::header::HeaderMap) -> String {
    h.get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn me_dossiers_and_auth() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let (s, _, me) = api.admin(Method::GET, "/me").await;
    assert_eq!(s, 200);
    assert_eq!(
        me,
        json!({"id": "u-000001", "email": "sylvie.admin@lespetitspas.be", "profiles": ["administrateur"], "organisation": {"id": "org-0042", "name": "ASBL Les Petits Pas"}})
    );
    // /me answers any known token, even without a profile; everything else needs one.
    let (s, _, me) = api.call(Method::GET, "/me", Some(NO_PROFILE), None).await;
    assert_eq!((s, me["profiles"].clone()), (StatusCode::OK, json!([])));
    for path in ["/dossiers", "/structures", "/users", "/users/u-000004"] {
        let (s, _, p) = api.call(Method::GET, path, Some(NO_PROFILE), None).await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{path}"
        );
    }
    let (s, _, _) = api
        .call(
            Method::PUT,
            "/users/u-000004/dossiers/bilans",
            Some(NO_PROFILE),
            None,
        )
        .await;
    assert_eq!(s, 403);
    for token in [None, Some("tok-unknown")] {
        let (s, _, p) = api.call(Method::GET, "/me", token, None).await;
        assert_eq!(
            (s, p["status"].as_u64()),
            (StatusCode::UNAUTHORIZED, Some(401))
        );
    }
    let (s, _, d) = api
        .call(Method::GET, "/dossiers", Some(GESTION), None)
        .await;
    assert_eq!(s, 200);
    let codes: Vec<(&str, bool)> = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["code"].as_str().unwrap(), i["scoped"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("accueil-petite-enfance", false),
            ("mon-equipe", false),
            ("appel-projets-cigogne-5200", false),
            ("tous-les-projets", false),
            ("prepacc-autorisation", false),
            ("pre-demandes", true),
            ("bilans", true)
        ]
    );
    assert_eq!(d["items"][5]["label"], "Pré-demandes");
}

#[tokio::test]
async fn paging_bounds_order_and_short_pages() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let all = api.walk("/structures", 7).await;
    let ids: Vec<&str> = all.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 40);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ordered by id");
    let loups: Vec<&Value> = all
        .iter()
        .filter(|s| s["name"] == "Les Petits Loups")
        .collect();
    assert_eq!(loups.len(), 2);
    let (_, default_page) = api.get("/users").await;
    assert_eq!(
        default_page["items"].as_array().unwrap().len(),
        60,
        "default limit 100"
    );
    assert!(default_page["next_cursor"].is_null());
    let (_, exact) = api.get("/users?limit=60").await;
    assert!(
        exact["next_cursor"].is_null(),
        "no cursor after the last item"
    );
    let (_, max) = api.get("/users?limit=500").await;
    assert_eq!(max["items"].as_array().unwrap().len(), 60);
    for bad in [
        "limit=0",
        "limit=501",
        "limit=abc",
        "limit=-1",
        "limit=1.5",
        "cursor=zz",
        "cursor=123",
    ] {
        let (s, p) = api.get(&format!("/users?{bad}")).await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad-paging")),
            "{bad}"
        );
        let (s, _) = api.get(&format!("/structures?{bad}")).await;
        assert_eq!(s, 400, "{bad}");
    }
    // Short pages: fewer than asked, and a client following next_cursor still gets everything.
    let short = start(Faults {
        short_pages: true,
        random_seed: 3,
        ..Faults::default()
    });
    let sapi = Api::new(&short);
    let (_, first) = sapi.get("/users?limit=20").await;
    assert!(first["items"].as_array().unwrap().len() < 20);
    let users = sapi.walk("/users", 20).await;
    let ids: BTreeSet<&str> = users.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!((users.len(), ids.len()), (60, 60));
}

#[tokio::test]
async fn a_walk_stays_exact_while_users_are_created() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut created = 0;
    loop {
        let url = match &cursor {
            Some(c) => format!("/users?limit=7&cursor={c}"),
            None => "/users?limit=7".to_owned(),
        };
        let (_, page) = api.get(&url).await;
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_owned()),
        );
        // Another writer adds a user between every two pages.
        let body = json!({"last_name": "Nouveau", "first_name": "N", "email": format!("n{created}@x.be"), "nrn": nrn(800_101_100 + created), "consent": true});
        let (s, _, _) = api
            .call(Method::POST, "/users", Some(GESTION), Some(body))
            .await;
        assert_eq!(s, 201);
        created += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no user twice");
    for i in 1..=60 {
        assert!(unique.contains(&format!("u-{i:06}")), "u-{i:06} skipped");
    }
}

#[tokio::test]
async fn user_read_grant_revoke_versions_and_if_match() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let (s, h, u) = api.admin(Method::GET, "/users/u-000004").await;
    assert_eq!(s, 200);
    assert_eq!(u["email"], "marie.dupont@lespetitspas.be");
    assert_eq!(
        (
            u["dossiers"].clone(),
            u["structures"].clone(),
            u["version"].clone()
        ),
        (json!(["pre-demandes"]), json!(["MA-00101"]), json!(3))
    );
    assert_eq!(etag(&h), "\"3\"");
    let (s, _, p) = api.admin(Method::GET, "/users/u-999999").await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("no-such-user"))
    );

    let (s, h) = api.put("/users/u-000004/dossiers/bilans").await;
    assert_eq!((s, etag(&h)), (StatusCode::NO_CONTENT, "\"4\"".to_owned()));
    // Already granted: 204, no new version.
    let (s, h) = api.put("/users/u-000004/dossiers/bilans").await;
    assert_eq!((s, etag(&h)), (StatusCode::NO_CONTENT, "\"4\"".to_owned()));
    let (s, _, p) = api
        .admin(Method::PUT, "/users/u-000004/dossiers/cigognes")
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("no-such-dossier"))
    );
    let (s, _, p) = api
        .admin(Method::PUT, "/users/u-999999/dossiers/bilans")
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("no-such-user"))
    );
    let (s, _, _) = api
        .admin(Method::DELETE, "/users/u-000004/dossiers/cigognes")
        .await;
    assert_eq!(s, 404);
    let (s, _, _) = api
        .admin(Method::DELETE, "/users/u-999999/dossiers/bilans")
        .await;
    assert_eq!(s, 404);

    let (s, h, _) = api
        .admin(Method::PUT, "/users/u-000004/structures/MA-00105")
        .await;
    assert_eq!((s, etag(&h)), (StatusCode::NO_CONTENT, "\"5\"".to_owned()));
    let (s, _, p) = api
        .admin(Method::PUT, "/users/u-000004/structures/MA-99999")
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown-structure"))
    );
    let (s, _, _) = api
        .admin(Method::DELETE, "/users/u-000004/structures/MA-99999")
        .await;
    assert_eq!(s, 404);
    let (s, _, _) = api
        .admin(Method::PUT, "/users/u-999999/structures/MA-00105")
        .await;
    assert_eq!(s, 404);
    // Revoking what is not granted: 204, nothing changes.
    let (s, h, _) = api
        .admin(Method::DELETE, "/users/u-000004/structures/MA-00140")
        .await;
    assert_eq!((s, etag(&h)), (StatusCode::NO_CONTENT, "\"5\"".to_owned()));
    let (s, h, _) = api
        .admin(Method::DELETE, "/users/u-000004/dossiers/pre-demandes")
        .await;
    assert_eq!((s, etag(&h)), (StatusCode::NO_CONTENT, "\"6\"".to_owned()));

    // If-Match: a stale version is refused and changes nothing; the right one passes.
    let stale = api
        .client
        .put(format!("{}/users/u-000004/dossiers/mon-equipe", api.base))
        .bearer_auth(ADMIN)
        .header("If-Match", "\"5\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    assert_eq!(etag(stale.headers()), "\"6\"");
    let (_, u) = api.get("/users/u-000004").await;
    assert_eq!(
        (u["dossiers"].clone(), u["version"].clone()),
        (json!(["bilans"]), json!(6))
    );
    let ok = api
        .client
        .put(format!("{}/users/u-000004/dossiers/mon-equipe", api.base))
        .bearer_auth(ADMIN)
        .header("If-Match", "\"6\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (ok.status(), etag(ok.headers())),
        (StatusCode::NO_CONTENT, "\"7\"".to_owned())
    );
    let (_, u) = api.get("/users/u-000004").await;
    assert_eq!(u["structures"], json!(["MA-00101", "MA-00105"]));
    assert_eq!(u["dossiers"], json!(["bilans", "mon-equipe"]));
    // The administrateur's Pré-demandes is implicit: never listed.
    let (_, admin) = api.get("/users/u-000001").await;
    assert_eq!(admin["dossiers"], json!([]));
}

#[tokio::test]
async fn create_user_validation_conflicts_and_idempotency() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let good = json!({"last_name": "Lefèvre", "first_name": "Anaïs", "email": "anais.lefevre@lespetitspas.be", "nrn": nrn(900_215_124), "consent": true});
    let (s, h, u) = api
        .call(Method::POST, "/users", Some(ADMIN), Some(good.clone()))
        .await;
    assert_eq!(s, 201);
    let id = u["id"].as_str().unwrap().to_owned();
    assert_eq!(
        h.get("location").unwrap().to_str().unwrap(),
        format!("/api/v1/users/{id}")
    );
    assert_eq!(
        (
            u["profiles"].clone(),
            u["dossiers"].clone(),
            u["structures"].clone(),
            u["version"].clone()
        ),
        (json!([]), json!([]), json!([]), json!(1))
    );

    // Same e-mail in another case: 409 email; same NRN: 409 nrn.
    let mut dup = good.clone();
    dup["email"] = json!("ANAIS.LEFEVRE@lespetitspas.be");
    dup["nrn"] = json!(nrn(900_215_125));
    let (s, _, p) = api
        .call(Method::POST, "/users", Some(ADMIN), Some(dup))
        .await;
    assert_eq!(
        (
            s,
            p["code"].clone(),
            p["conflict"].clone(),
            p["existing_user_id"].clone()
        ),
        (
            StatusCode::CONFLICT,
            json!("user-exists"),
            json!("email"),
            json!(id)
        )
    );
    let mut dup = good.clone();
    dup["email"] = json!("autre@lespetitspas.be");
    let (s, _, p) = api
        .call(Method::POST, "/users", Some(ADMIN), Some(dup))
        .await;
    assert_eq!(
        (s, p["conflict"].clone(), p["existing_user_id"].clone()),
        (StatusCode::CONFLICT, json!("nrn"), json!(id))
    );

    // Every bad field is named.
    let bad = json!({"last_name": " ", "email": "pas-une-adresse", "nrn": "85.07.30-033.28", "consent": false});
    let (s, _, p) = api
        .call(Method::POST, "/users", Some(ADMIN), Some(bad))
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation-failed"))
    );
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["last_name", "first_name", "email", "nrn", "consent"]
    );
    let mut bad_check = good.clone();
    bad_check["nrn"] = json!("85073003329");
    bad_check["email"] = json!("x@y.be");
    let (s, _, p) = api
        .call(Method::POST, "/users", Some(ADMIN), Some(bad_check))
        .await;
    assert_eq!(
        (s, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("nrn"))
    );

    // Not JSON, not an object, wrong media type.
    let r = api
        .client
        .post(format!("{}/users", api.base))
        .bearer_auth(ADMIN)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = api
        .client
        .post(format!("{}/users", api.base))
        .bearer_auth(ADMIN)
        .header("content-type", "application/json")
        .body("[1]")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = api
        .client
        .post(format!("{}/users", api.base))
        .bearer_auth(ADMIN)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);

    // Idempotency-Key: same key and body → the first answer again, nothing created twice;
    // another body → 422; the key is per token.
    let body = json!({"last_name": "Ngô", "first_name": "Thành", "email": "thanh.ngo@lespetitspas.be", "nrn": nrn(990_301_006), "consent": true});
    let post = |token: &'static str, key: &'static str, b: Value| {
        api.client
            .post(format!("{}/users", api.base))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&b)
            .send()
    };
    let first = post(ADMIN, "plan-abc-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first_body: Value = first.json().await.unwrap();
    // Keys in another order are the same JSON.
    let reordered: Value = serde_json::from_str(&format!(r#"{{"consent": true, "nrn": "{}", "email": "thanh.ngo@lespetitspas.be", "first_name": "Thành", "last_name": "Ngô"}}"#, nrn(990_301_006))).unwrap();
    let again = post(ADMIN, "plan-abc-1", reordered).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.unwrap(), first_body);
    let mut other = body.clone();
    other["first_name"] = json!("Thanh");
    let reused = post(ADMIN, "plan-abc-1", other).await.unwrap();
    assert_eq!(reused.status(), 422);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["code"],
        "idempotency-key-reused"
    );
    // Another token with the same key is a new request: here a conflict, replayed as such.
    let conflict = post(GESTION, "plan-abc-1", body.clone()).await.unwrap();
    assert_eq!(conflict.status(), 409);
    let replayed = post(GESTION, "plan-abc-1", body.clone()).await.unwrap();
    assert_eq!(replayed.status(), 409);
    let long_key = "k".repeat(256);
    let r = api
        .client
        .post(format!("{}/users", api.base))
        .bearer_auth(ADMIN)
        .header("Idempotency-Key", long_key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let stats = api.stats(&e).await;
    assert_eq!(stats["callers"]["u-000001"]["creates"], 2);
    assert_eq!(stats["callers"]["u-000002"]["creates"], 0);
}

#[tokio::test]
async fn concurrent_writers_on_one_user_lose_nothing() {
    // 100 structures, so 100 writers each grant a different one with If-Match and retry on 412.
    let dir = tempfile::tempdir().unwrap();
    let mut seed: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("portal-seed.json")).unwrap(),
    )
    .unwrap();
    let structures: Vec<Value> = (0..100).map(|i| json!({"id": format!("MA-{:05}", 500 + i), "name": format!("S{i}"), "postal_code": "5000", "city": "Namur"})).collect();
    seed["structures"]
        .as_array_mut()
        .unwrap()
        .extend(structures);
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_string()).unwrap();
    let mut c = config(Faults::default());
    c.seed = Some(path);
    let e = RunningEmulator::start(c).unwrap();
    let api = std::sync::Arc::new(Api::new(&e));
    let (_, before) = api.get("/users/u-000010").await;
    let v0 = before["version"].as_u64().unwrap();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            loop {
                let (_, u) = api.get("/users/u-000010").await;
                let v = u["version"].as_u64().unwrap();
                let r = api
                    .client
                    .put(format!(
                        "{}/users/u-000010/structures/MA-{:05}",
                        api.base,
                        500 + i
                    ))
                    .bearer_auth(ADMIN)
                    .header("If-Match", format!("\"{v}\""))
                    .send()
                    .await
                    .unwrap();
                match r.status().as_u16() {
                    204 => return conflicts,
                    412 => conflicts += 1,
                    other => panic!("{other}"),
                }
            }
        }));
    }
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.unwrap();
    }
    let (_, after) = api.get("/users/u-000010").await;
    assert_eq!(
        after["version"].as_u64().unwrap(),
        v0 + 100,
        "exactly one version per change"
    );
    let held: BTreeSet<&str> = after["structures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!((0..100).all(|i| held.contains(format!("MA-{:05}", 500 + i).as_str())));
    let stats = api.stats(&e).await;
    assert_eq!(stats["callers"]["u-000001"]["changes"], 100);
    assert_eq!(
        stats["callers"]["u-000001"]["by_route"]["PUT /users/{id}/structures/{sid}"],
        100 + conflicts
    );
}

/// Sends one raw HTTP/1.1 request and returns everything the server sent before closing.
fn raw_request(addr: std::net::SocketAddr, request: &str) -> Vec<u8> {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    got
}

#[tokio::test]
async fn a_dropped_write_was_committed_and_a_replay_creates_nothing() {
    let e = start(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    });
    let addr = e.addr();
    // A grant: the connection closes with no status line at all, and the grant is in effect.
    let got = tokio::task::spawn_blocking(move || {
        raw_request(addr, &format!("PUT /api/v1/users/u-000004/dossiers/bilans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN}\r\nContent-Length: 0\r\n\r\n"))
    })
    .await
    .unwrap();
    assert!(
        got.is_empty(),
        "no answer at all, got {:?}",
        String::from_utf8_lossy(&got)
    );
    let api = Api::new(&e);
    let (_, u) = api.get("/users/u-000004").await;
    assert_eq!(u["dossiers"], json!(["bilans", "pre-demandes"]));
    // A create with a key: dropped, committed; the retry replays the stored answer.
    let body = json!({"last_name": "Müller", "first_name": "Zoé", "email": "zoe.muller@lespetitspas.be", "nrn": nrn(841_224_013), "consent": true});
    let send = || {
        api.client
            .post(format!("{}/users", api.base))
            .bearer_auth(ADMIN)
            .header("Idempotency-Key", "k-1")
            .json(&body)
            .send()
    };
    let err = send().await.expect_err("the first answer is dropped");
    assert!(
        err.is_request() || err.is_connect() || err.to_string().contains("connection"),
        "{err}"
    );
    let retry = send().await.unwrap();
    assert_eq!(retry.status(), 201);
    let created: Value = retry.json().await.unwrap();
    assert_eq!(created["email"], "zoe.muller@lespetitspas.be");
    let stats = api.stats(&e).await;
    let me = &stats["callers"]["u-000001"];
    assert_eq!(
        (me["creates"].clone(), me["faults_dropped"].clone()),
        (json!(1), json!(2))
    );
    let users = api.walk("/users", 500).await;
    assert_eq!(
        users
            .iter()
            .filter(|u| u["email"] == "zoe.muller@lespetitspas.be")
            .count(),
        1
    );
}

#[tokio::test]
async fn rate_limit_answers_429_with_a_usable_retry_after_in_both_forms() {
    for as_date in [false, true] {
        let e = start(Faults {
            rate_limit: Some((2.0, 2)),
            retry_after_date: as_date,
            ..Faults::default()
        });
        let api = Api::new(&e);
        let mut limited = None;
        for _ in 0..20 {
            let r = api
                .client
                .get(format!("{}/me", api.base))
                .bearer_auth(ADMIN)
                .send()
                .await
                .unwrap();
            assert!(r.headers().contains_key("ratelimit-remaining"));
            if r.status() == 429 {
                limited = Some(
                    r.headers()
                        .get("retry-after")
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .to_owned(),
                );
                assert_eq!(r.headers()["content-type"], "application/problem+json");
                break;
            }
        }
        let value = limited.expect("a burst of 2 at 2/s is exceeded by 20 quick calls");
        let wait = if as_date {
            let at = httpdate::parse_http_date(&value).unwrap();
            at.duration_since(std::time::SystemTime::now())
                .unwrap_or_default()
        } else {
            let secs: f64 = value.parse().unwrap();
            assert!(secs > 0.0 && secs <= 0.5, "{secs}");
            Duration::from_secs_f64(secs)
        };
        tokio::time::sleep(wait + Duration::from_millis(20)).await;
        let r = api
            .client
            .get(format!("{}/me", api.base))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "honouring Retry-After ({value}) is enough");
        // The limit is per token: another token is not affected by this one's burst.
        let r = api
            .client
            .get(format!("{}/me", api.base))
            .bearer_auth(GESTION)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let stats = api.stats(&e).await;
        assert_eq!(stats["callers"]["u-000001"]["rate_limited"], 1);
    }
    // A 429 changes nothing: with no burst left, a grant is refused and not made.
    let e = start(Faults {
        rate_limit: Some((0.1, 1)),
        ..Faults::default()
    });
    let api = Api::new(&e);
    let (s, _) = api.get("/users/u-000004").await;
    assert_eq!(s, 200);
    let (s, _) = api.put("/users/u-000004/dossiers/bilans").await;
    assert_eq!(s, 429);
    // Read back with another token: the limit is per token, so its bucket is full.
    let (s, _, u) = api
        .call(Method::GET, "/users/u-000004", Some(GESTION), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        u["dossiers"],
        json!(["pre-demandes"]),
        "the refused grant was not made"
    );
    let stats = api.stats(&e).await;
    assert_eq!(
        (
            stats["callers"]["u-000001"]["writes"].clone(),
            stats["callers"]["u-000001"]["rate_limited"].clone()
        ),
        (json!(0), json!(1))
    );
}

#[tokio::test]
async fn fail_rate_and_latency() {
    let e = start(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    });
    let api = Api::new(&e);
    let (s, _, p) = api.admin(Method::GET, "/users").await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("unavailable"))
    );
    let (s, _, _) = api
        .admin(Method::PUT, "/users/u-000004/dossiers/bilans")
        .await;
    assert_eq!(s, 503);
    // The 503 came before doing anything: no write was executed.
    let stats = api.stats(&e).await;
    assert_eq!(stats["callers"]["u-000001"]["writes"], 0);
    assert_eq!(
        api.stats(&e).await["callers"]["u-000001"]["faults_unavailable"],
        2
    );
    // A 10% share is roughly 10% (deterministic for a seed).
    let some = start(Faults {
        fail_rate: 0.1,
        random_seed: 11,
        ..Faults::default()
    });
    let sapi = Api::new(&some);
    let mut failed = 0;
    for _ in 0..200 {
        if sapi.admin(Method::GET, "/me").await.0 == 503 {
            failed += 1;
        }
    }
    assert!((8..=35).contains(&failed), "{failed}");
    let slow = start(Faults {
        latency_ms: 60,
        jitter_ms: 20,
        ..Faults::default()
    });
    let slapi = Api::new(&slow);
    let t = Instant::now();
    slapi.get("/me").await;
    assert!(t.elapsed() >= Duration::from_millis(40));
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("portal.sqlite");
    let mut c = config(Faults::default());
    c.state = Some(state.clone());
    {
        let e = RunningEmulator::start(c.clone()).unwrap();
        let api = Api::new(&e);
        api.put("/users/u-000004/dossiers/bilans").await;
        let body = json!({"last_name": "Renard", "first_name": "Paul", "email": "paul.renard@lespetitspas.be", "nrn": nrn(770_101_001), "consent": true});
        assert_eq!(
            api.call(Method::POST, "/users", Some(ADMIN), Some(body))
                .await
                .0,
            201
        );
    }
    // No seed this time: the state file has it all.
    c.seed = None;
    let e = RunningEmulator::start(c).unwrap();
    let api = Api::new(&e);
    let (_, u) = api.get("/users/u-000004").await;
    assert_eq!(
        (u["dossiers"].clone(), u["version"].clone()),
        (json!(["bilans", "pre-demandes"]), json!(4))
    );
    assert_eq!(api.walk("/users", 500).await.len(), 61);
    // A new id does not reuse one.
    let body = json!({"last_name": "Simon", "first_name": "Inès", "email": "ines.simon@lespetitspas.be", "nrn": nrn(770_101_002), "consent": true});
    let (_, _, created) = api
        .call(Method::POST, "/users", Some(ADMIN), Some(body))
        .await;
    assert_eq!(created["id"], "u-000062");
}

#[tokio::test]
async fn every_error_answer_is_problem_json_axum_rejections_included() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let base = format!("http://{}", e.addr());
    let cases: Vec<(Method, String, Option<&str>, u16)> = vec![
        (
            Method::GET,
            "/api/v1/users?limit=0".into(),
            Some(ADMIN),
            400,
        ),
        (Method::GET, "/api/v1/me".into(), None, 401),
        (Method::GET, "/api/v1/users".into(), Some(NO_PROFILE), 403),
        (Method::GET, "/api/v1/nothing-here".into(), Some(ADMIN), 404),
        (Method::GET, "/elsewhere".into(), None, 404),
        (
            Method::GET,
            "/api/v1/users/u-999999".into(),
            Some(ADMIN),
            404,
        ),
        (Method::PATCH, "/api/v1/users".into(), Some(ADMIN), 405),
        (Method::POST, "/api/v1/me".into(), Some(ADMIN), 405),
        (Method::POST, "/_emulator/stats".into(), None, 405),
        // A path segment that is not UTF-8: axum's own rejection, rewritten.
        (Method::GET, "/api/v1/users/%FF%FE".into(), Some(ADMIN), 400),
    ];
    for (method, path, token, want) in cases {
        let mut r = api.client.request(method.clone(), format!("{base}{path}"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status().as_u16(), want, "{method} {path}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{method} {path}"
        );
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["status"].as_u64(), Some(u64::from(want)), "{p}");
        assert!(
            p["title"].is_string() && p["detail"].is_string() && p["type"].is_string(),
            "{p}"
        );
    }
    // A body over axum's limit: 413, as problem+json.
    let big = "x".repeat(3 * 1024 * 1024);
    let r = api
        .client
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(ADMIN)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn openapi_document_matches_the_routes_served() {
    let e = start(Faults::default());
    let api = Api::new(&e);
    let doc: Value = api
        .client
        .get(format!("{}/openapi.json", api.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(documented, served);
    // And each is really served: never the router's 404 or 405.
    for (method, path) in &served {
        let concrete = path
            .replace("{id}", "u-000004")
            .replace("{code}", "bilans")
            .replace("{sid}", "MA-00101");
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let r = api
            .client
            .request(m, format!("{}{concrete}", api.base))
            .bearer_auth(ADMIN)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert!(
            !matches!(
                body["code"].as_str(),
                Some("no-such-route" | "method-not-allowed")
            ),
            "{method} {path}: {status} {body}"
        );
    }
}

#[tokio::test]
async fn stats_count_exactly() {
    let e = start(Faults {
        rate_limit: Some((1000.0, 1000)),
        ..Faults::default()
    });
    let api = Api::new(&e);
    for _ in 0..3 {
        api.get("/me").await;
    }
    api.get("/users?limit=10").await;
    api.put("/users/u-000004/dossiers/bilans").await;
    api.put("/users/u-000004/dossiers/bilans").await;
    api.call(Method::GET, "/me", None, None).await;
    api.call(Method::GET, "/users", Some(NO_PROFILE), None)
        .await;
    let stats = api.stats(&e).await;
    let admin = &stats["callers"]["u-000001"];
    let by_route: BTreeMap<String, u64> =
        serde_json::from_value(admin["by_route"].clone()).unwrap();
    assert_eq!(
        by_route,
        BTreeMap::from([
            ("GET /me".to_owned(), 3),
            ("GET /users".to_owned(), 1),
            ("PUT /users/{id}/dossiers/{code}".to_owned(), 2)
        ])
    );
    assert_eq!(
        (
            admin["requests"].clone(),
            admin["writes"].clone(),
            admin["changes"].clone(),
            admin["rate_limited"].clone()
        ),
        (json!(6), json!(2), json!(1), json!(0))
    );
    assert!(admin["max_requests_per_second"].as_u64().unwrap() >= 1);
    assert_eq!(stats["callers"]["unauthenticated"]["requests"], 1);
    assert_eq!(stats["callers"]["u-000003"]["requests"], 1);
}

#[test]
fn the_emulator_command_prints_its_address_first_and_serves() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_proone-sync"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--seed"])
        .arg(common::fixture("portal-seed.json"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    let addr: std::net::SocketAddr = first
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{first:?}: {e}"));
    let got = raw_request(
        addr,
        &format!(
            "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN}\r\nConnection: close\r\n\r\n"
        ),
    );
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.contains("ASBL Les Petits Pas"));
    // SIGTERM stops it cleanly.
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    // Bad flags and a missing seed: one sentence, exit 1.
    let r = common::run(common::bin().args(["emulator", "--fail-rate", "2"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--fail-rate 2"), "{}", r.stderr);
    let r = common::run(common::bin().args(["emulator"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no seed"), "{}", r.stderr);
}
