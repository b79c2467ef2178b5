//! Ctrl-C and SIGTERM for a whole apply run, across its phases (cli.md: no new call starts,
//! calls in flight finish, the journal and report are written). One listener, installed before
//! the run plans anything, on a thread of its own — a phase's runtime comes and goes, a signal
//! between two phases must not be lost — that interrupts every portal client the run uses
//! and tells the run it is stopping. A second signal quits at once (exit 130).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::portal::PortalClient;

use super::{Exit, LogFormat};

#[derive(Default)]
struct Inner {
    stopped: AtomicBool,
    clients: Mutex<Vec<Arc<PortalClient>>>,
}

impl Inner {
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Ok(clients) = self.clients.lock() {
            for c in clients.iter() {
                c.interrupt();
            }
        }
    }
}

/// The run's stop signal.
#[derive(Clone)]
pub struct RunStop {
    inner: Arc<Inner>,
}

impl RunStop {
    /// Listens from now on (the handlers are installed before this returns).
    pub fn listen(log_format: LogFormat) -> RunStop {
        let inner = Arc::new(Inner::default());
        let (ready, installed) = std::sync::mpsc::channel::<()>();
        let heard = inner.clone();
        let spawned = std::thread::Builder::new()
            .name("stop-signals".into())
            .spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    let _ = ready.send(());
                    return;
                };
                rt.block_on(async move {
                    let mut shutdown = super::signals::Shutdown::listen();
                    let _ = ready.send(());
                    shutdown.recv().await;
                    heard.stop();
                    super::say::say(log_format, "WARN", crate::msg!("interrupted-now"), "");
                    shutdown.recv().await;
                    std::process::exit(Exit::Interrupted as i32);
                });
            });
        if spawned.is_ok() {
            let _ = installed.recv_timeout(Duration::from_secs(5));
        }
        RunStop { inner }
    }

    /// A client of the run: interrupted with it (at once, if the run is already stopping).
    pub fn watch(&self, client: &Arc<PortalClient>) {
        if let Ok(mut clients) = self.inner.clients.lock()
            && !clients.iter().any(|c| Arc::ptr_eq(c, client))
        {
            clients.push(client.clone());
        }
        if self.stopped() {
            client.interrupt();
        }
    }

    /// A stop signal came: no new phase, no new call.
    pub fn stopped(&self) -> bool {
        self.inner.stopped.load(Ordering::SeqCst)
    }
}
