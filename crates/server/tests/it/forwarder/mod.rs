//! A switchable TCP forwarder for outage tests: the app talks to a real server
//! through it, and the test cuts or restores the path (a network fault, not a
//! stand-in for the server).

use std::net::SocketAddr;

use tokio::{net::TcpListener, sync::watch};

/// A TCP forwarder to a server (a broker, a mail server) that can be switched
/// off: then it cuts the connections it carries and drops new ones at once.
pub struct Forwarder {
    addr: SocketAddr,
    up: watch::Sender<bool>,
}

impl Forwarder {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (up, _) = watch::channel(true);
        let state = up.subscribe();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut state = state.clone();
                if !*state.borrow_and_update() {
                    continue; // dropped: the client sees the connection close
                }
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = state.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Self { addr, up }
    }

    pub fn set(&self, up: bool) {
        self.up.send_replace(up);
    }

    /// `url` with its host and port replaced by the forwarder's.
    pub fn url(&self, url: &str) -> String {
        let mut url = url::Url::parse(url).unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(self.addr.port())).unwrap();
        url.to_string()
    }
}

pub fn broker_addr(url: &str) -> SocketAddr {
    let url = url::Url::parse(url).unwrap();
    let host = url.host_str().unwrap_or("127.0.0.1");
    std::net::ToSocketAddrs::to_socket_addrs(&(host, url.port().unwrap_or(5672))).unwrap().next().unwrap()
}
