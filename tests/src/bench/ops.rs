//! The operations the load phases repeat.

use std::net::SocketAddr;

use bytes::Bytes;
use hyper::http::{HeaderValue, Method};

use crate::http::{BoxError, Conn};
use crate::load::Op;
use crate::mcp;

/// A LiteLLM-shaped cycle on a fresh TCP connection, with or without a closing `DELETE`.
pub struct Cycle {
    /// The engine.
    pub address: SocketAddr,
    /// Send the closing `DELETE`.
    pub delete: bool,
}

impl Op for Cycle {
    async fn run(&mut self) -> Result<(), BoxError> {
        mcp::cycle(self.address, self.delete).await.map(drop)
    }
}

/// `tools/call` over one kept-alive connection per worker, reopened after a failure.
pub struct Call {
    address: SocketAddr,
    conn: Option<Conn>,
    body: Bytes,
}

impl Call {
    /// Calls with the JSON-RPC `body` (see [`mcp::call_body`]) against the engine at `address`.
    pub fn new(address: SocketAddr, body: Bytes) -> Call {
        Call {
            address,
            conn: None,
            body,
        }
    }
}

impl Op for Call {
    async fn run(&mut self) -> Result<(), BoxError> {
        let mut conn = match self.conn.take() {
            Some(conn) => conn,
            None => Conn::open(self.address).await?,
        };
        mcp::call(&mut conn, &self.body).await?;
        self.conn = Some(conn);
        Ok(())
    }
}

/// One Google request sent straight to the sandbox, over a kept-alive connection.
pub struct Upstream {
    address: SocketAddr,
    conn: Option<Conn>,
    path_and_query: String,
    authorization: HeaderValue,
}

impl Upstream {
    /// `GET path_and_query` with the bearer token the engine would send.
    pub fn new(address: SocketAddr, path_and_query: String, token: &str) -> Upstream {
        let authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).expect("a header-safe token");
        Upstream {
            address,
            conn: None,
            path_and_query,
            authorization,
        }
    }
}

impl Op for Upstream {
    async fn run(&mut self) -> Result<(), BoxError> {
        let mut conn = match self.conn.take() {
            Some(conn) => conn,
            None => Conn::open(self.address).await?,
        };
        let headers = [("authorization", self.authorization.clone())];
        let answer = conn
            .send(Method::GET, &self.path_and_query, &headers, Bytes::new())
            .await?;
        if answer.status != 200 {
            return Err(format!("the sandbox answered HTTP {}", answer.status).into());
        }
        self.conn = Some(conn);
        Ok(())
    }
}
