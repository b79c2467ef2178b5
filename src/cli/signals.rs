//! Ctrl-C and SIGTERM, for the commands that stop cleanly on them (apply, the emulator). The
//! handlers are installed when `Shutdown::listen` is called, not when first awaited: a caller
//! that sends SIGTERM right after the process announced itself gets a clean stop.

/// The stop signals, listened to from creation on; each `recv` waits for the next one.
pub struct Shutdown {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Shutdown {
    /// Must be called inside the runtime.
    pub fn listen() -> Shutdown {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Shutdown {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Shutdown {}
    }

    /// The next Ctrl-C or SIGTERM.
    pub async fn recv(&mut self) {
        #[cfg(unix)]
        if let (Some(t), Some(i)) = (&mut self.term, &mut self.int) {
            tokio::select! {
                _ = t.recv() => {}
                _ = i.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
