//! The portal emulator: portal-api.md served over HTTP (axum) from a real store (SQLite), with
//! faults on demand and read-only stats. It meets the client only in `api` (the contract).
//!
//! `Emulator::bind` + `serve` run it on the caller's runtime (the `emulator` command, the
//! embedded default); `RunningEmulator::start` runs it on a thread of its own and stops it on
//! drop (tests, benchmarks).

mod api;
mod create;
pub mod faults;
pub mod gateway;
mod problem;
mod state;
pub mod stats;
pub mod store;
pub mod synthetic;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::model::CalendarDate;

pub use api::{API_PREFIX, OPENAPI, ROUTES};
pub use faults::Faults;
pub use store::{Seed, Store};

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub listen: SocketAddr,
    /// SQLite file; `None`: in memory.
    pub state: Option<PathBuf>,
    /// Loaded when the state is empty (a state file keeps what it has across restarts).
    pub seed: Option<PathBuf>,
    pub faults: Faults,
    /// Log each request on stderr.
    pub verbose: bool,
    /// NRN validity of `POST /users` depends on the date.
    pub today: CalendarDate,
}

impl EmulatorConfig {
    /// Loopback, ephemeral port, in memory, no faults.
    pub fn local(seed: impl Into<PathBuf>) -> EmulatorConfig {
        EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            state: None,
            seed: Some(seed.into()),
            faults: Faults::default(),
            verbose: false,
            today: CalendarDate::today(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{path}: cannot read the seed: {source}")]
    SeedRead {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: line {line}, column {column}: {message}")]
    SeedParse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("the state is empty and no seed was given (--seed FILE)")]
    NoSeed,
    #[error("cannot start the emulator's runtime: {0}")]
    Runtime(std::io::Error),
}

pub fn read_seed(path: &Path) -> Result<Seed, EmulatorError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| EmulatorError::SeedRead {
        path: shown.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| EmulatorError::SeedParse {
        path: shown,
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// A bound, seeded emulator, ready to serve.
pub struct Emulator {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
}

impl Emulator {
    pub async fn bind(config: &EmulatorConfig) -> Result<Emulator, EmulatorError> {
        let mut store = Store::open(config.state.as_deref())?;
        if store.is_empty()? {
            let seed_path = config.seed.as_deref().ok_or(EmulatorError::NoSeed)?;
            store.load_seed(&read_seed(seed_path)?)?;
        }
        let organisation = store.organisation()?;
        let mut callers = HashMap::new();
        for (token, user_id) in store.tokens()? {
            let user = store.user(&user_id)?;
            callers.insert(
                token.clone(),
                state::Caller {
                    token,
                    email: user.as_ref().map(|u| u.email.clone()).unwrap_or_default(),
                    profiles: user.map(|u| u.profiles).unwrap_or_default(),
                    user_id,
                },
            );
        }
        let faults = config.faults.clone();
        let shared = Arc::new(state::Shared {
            store: Mutex::new(store),
            callers,
            organisation,
            limiter: faults.rate_limit.map(|(r, b)| faults::Limiter::new(r, b)),
            rng: Mutex::new(faults::Rng::new(faults.random_seed)),
            faults,
            stats: stats::Stats::default(),
            today: config.today,
            verbose: config.verbose,
        });
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| EmulatorError::Listen {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Listen {
                addr: config.listen,
                source,
            })?;
        Ok(Emulator {
            listener,
            router: api::router(shared),
            addr,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR/api/v1`
    pub fn base_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    /// Serves until `shutdown` completes. Each connection is served by hyper directly (not
    /// `axum::serve`) so that the drop fault can close it with no status line at all.
    pub async fn serve(self, shutdown: impl Future<Output = ()>) {
        let Emulator {
            listener, router, ..
        } = self;
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let (stream, _) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    // Out of file descriptors and the like: keep serving the others.
                    Err(_) => continue,
                },
                () = &mut shutdown => return,
            };
            let _ = stream.set_nodelay(true);
            let kill = Arc::new(Notify::new());
            let conn_kill = state::ConnKill(kill.clone());
            let router = router.clone();
            let service =
                tower::service_fn(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(conn_kill.clone());
                    let mut router = router.clone();
                    async move { tower::Service::call(&mut router, req).await }
                });
            tokio::spawn(async move {
                let conn = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                tokio::select! {
                    _ = conn => {}
                    // Dropping the connection future closes the socket: no answer at all.
                    () = kill.notified() => {}
                }
            });
        }
    }
}

/// An emulator on a thread of its own, stopped when dropped.
pub struct RunningEmulator {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningEmulator {
    /// Binds and seeds on a thread of its own (so it can be called from inside another async
    /// runtime, as tests do), and serves there until dropped.
    pub fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
        let (ready, bound) = std::sync::mpsc::channel::<Result<SocketAddr, EmulatorError>>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("portal-emulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = ready.send(Err(EmulatorError::Runtime(e)));
                        return;
                    }
                };
                runtime.block_on(async {
                    match Emulator::bind(&config).await {
                        Ok(emulator) => {
                            let _ = ready.send(Ok(emulator.local_addr()));
                            emulator
                                .serve(async {
                                    let _ = stopped.await;
                                })
                                .await;
                        }
                        Err(e) => {
                            let _ = ready.send(Err(e));
                        }
                    }
                });
            })
            .map_err(EmulatorError::Runtime)?;
        let addr = bound.recv().map_err(|_| {
            EmulatorError::Runtime(std::io::Error::other("the emulator thread ended early"))
        })??;
        Ok(RunningEmulator {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/api/v1`
    pub fn base_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    /// `http://127.0.0.1:PORT/_emulator/stats`
    pub fn stats_url(&self) -> String {
        format!("http://{}/_emulator/stats", self.addr)
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
