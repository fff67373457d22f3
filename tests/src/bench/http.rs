//! A bare HTTP/1.1 connection: no pool, no retries, no redirects, nothing between the
//! bench and the socket, so a "fresh connection per cycle" is exactly one TCP connection.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::http::{HeaderValue, Method, Request, header};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// Any failure the bench counts as an error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One open connection to `127.0.0.1:port`; closed when dropped.
pub struct Conn {
    sender: SendRequest<Full<Bytes>>,
    host: HeaderValue,
    driver: JoinHandle<()>,
}

/// A reply read to its end.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Mcp-Session-Id` header, when the server sent one.
    pub session: Option<HeaderValue>,
    /// The whole body.
    pub body: Bytes,
}

impl Conn {
    /// Connects (with `TCP_NODELAY`, as HTTP clients do) and completes the HTTP/1 handshake.
    pub async fn open(address: SocketAddr) -> Result<Conn, BoxError> {
        let stream = TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;

        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        let driver = tokio::spawn(async move {
            let _ = connection.await;
        });
        let host = HeaderValue::from_str(&address.to_string())?;

        Ok(Conn {
            sender,
            host,
            driver,
        })
    }

    /// Sends one request and reads the whole reply.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&'static str, HeaderValue)],
        body: Bytes,
    ) -> Result<Answer, BoxError> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, self.host.clone());
        for (name, value) in headers {
            request = request.header(*name, value.clone());
        }
        if !body.is_empty() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request.body(Full::new(body))?;

        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status().as_u16();
        let session = response.headers().get("mcp-session-id").cloned();
        let body = response.into_body().collect().await?.to_bytes();

        Ok(Answer {
            status,
            session,
            body,
        })
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.driver.abort();
    }
}
