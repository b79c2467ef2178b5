//! Debian's nginx as a real gateway in front of the emulator, for the tests and benchmarks
//! that meet a portal the way organisations have it: optionally a `limit_req` of `rate`
//! requests per second (burst = rate, nodelay, status 429 — nginx sends no `Retry-After` and no
//! `RateLimit-*`), and a 502 page of its own when the portal behind it is gone. It runs on a
//! loopback port with a configuration in a temporary folder, and stops when dropped.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct Gateway {
    /// The API's base URL through the gateway.
    pub url: String,
    child: std::process::Child,
    dir: PathBuf,
}

/// Where Debian installs nginx (package nginx-light).
pub const NGINX: &str = "/usr/sbin/nginx";

impl Gateway {
    pub fn start(upstream: SocketAddr, rate: Option<u32>) -> Result<Gateway, String> {
        let dir = std::env::temp_dir().join(format!(
            "proone-sync-nginx-{}-{}",
            std::process::id(),
            upstream.port()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("a free port: {e}"))?
            .port();
        let path = dir.join("nginx.conf");
        std::fs::write(&path, config(&dir, port, upstream, rate))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let child = std::process::Command::new(NGINX)
            .arg("-c")
            .arg(&path)
            .arg("-p")
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{NGINX}: {e}"))?;
        let gateway = Gateway {
            url: format!("http://127.0.0.1:{port}/api/v1"),
            child,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                let log =
                    std::fs::read_to_string(gateway.dir.join("error.log")).unwrap_or_default();
                return Err(format!("nginx did not listen on {port}: {log}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(gateway)
    }
}

fn config(dir: &std::path::Path, port: u16, upstream: SocketAddr, rate: Option<u32>) -> String {
    let d = dir.display();
    let (zone, limit) = match rate {
        // The key must not be empty: nginx does not limit requests whose key is.
        Some(r) => (
            format!("limit_req_zone $server_name zone=portal:1m rate={r}r/s;"),
            format!("limit_req zone=portal burst={r} nodelay; limit_req_status 429;"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        "daemon off; master_process off; worker_processes 1; pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  {zone}
  upstream portal {{ server {upstream}; keepalive 16; }}
  server {{
    listen 127.0.0.1:{port};
    server_name portal;
    location / {{
      {limit}
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }}
  }}
}}
"
    )
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
