//! A small HTTP/1.1 client for the demo clients inside this server (the
//! race, the Lab): each request goes over loopback to the address this
//! server listens on, so it passes every layer a browser's request passes.

use crate::i18n::Locale;
use axum::{
    body::Body,
    http::{header, HeaderMap, Method, Request, StatusCode},
};
use serde_json::Value;
use std::{net::SocketAddr, time::Duration};

/// A demo request not answered by then counts as failed.
const REQUEST_DEADLINE: Duration = Duration::from_secs(5);
/// No answer of this server to a demo client comes near this.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Carries `AUTHLAB_CLUSTER_SECRET` between the instances of a cluster.
pub const CLUSTER_SECRET_HEADER: &str = "x-authlab-cluster-secret";

/// How a demo request proves who it is.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    None,
    /// `Cookie: <value>` as is (`name=value; name=value`).
    Cookie(&'a str),
    /// `Authorization: Bearer <token>`.
    Bearer(&'a str),
    /// The cluster's shared secret, from one instance to another.
    ClusterSecret(&'a str),
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The JSON body; `Null` when there was none or it was not JSON.
    pub body: Value,
}

impl Answer {
    /// No answer at all (the connection failed or timed out).
    fn none() -> Self {
        Answer {
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: HeaderMap::new(),
            body: Value::Null,
        }
    }

    pub fn error_code(&self) -> Option<String> {
        self.body.get("error").and_then(Value::as_str).map(str::to_owned)
    }

    /// `name=value` of the session cookie this answer set (not one it removed).
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|value| cookie::Cookie::parse(value.to_owned()).ok())
            .find(|cookie| cookie.name().ends_with(crate::auth::cookies::SESSION_COOKIE) && !cookie.value().is_empty())
            .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
    }
}

/// One request on a connection of its own, as curl would send it.
pub async fn send(
    address: SocketAddr,
    method: Method,
    path: &str,
    credential: Credential<'_>,
    body: Option<Value>,
) -> Answer {
    send_in(address, None, method, path, credential, body).await
}

/// [`send`], asking for the answer's messages in `language`.
pub async fn send_in(
    address: SocketAddr,
    language: Option<Locale>,
    method: Method,
    path: &str,
    credential: Credential<'_>,
    body: Option<Value>,
) -> Answer {
    let exchange = exchange(address, language, method, path, credential, body);
    match tokio::time::timeout(REQUEST_DEADLINE, exchange).await {
        Ok(Some(answer)) => answer,
        _ => Answer::none(),
    }
}

async fn exchange(
    address: SocketAddr,
    language: Option<Locale>,
    method: Method,
    path: &str,
    credential: Credential<'_>,
    body: Option<Value>,
) -> Option<Answer> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, address.to_string())
        .header(header::USER_AGENT, "Auth Lab demo client");
    if let Some(language) = language {
        request = request.header(header::ACCEPT_LANGUAGE, language.as_str());
    }
    request = match credential {
        Credential::None => request,
        Credential::Cookie(cookie) => request.header(header::COOKIE, cookie),
        Credential::Bearer(token) => request.header(header::AUTHORIZATION, format!("Bearer {token}")),
        Credential::ClusterSecret(secret) => request.header(CLUSTER_SECRET_HEADER, secret),
    };
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    };
    let request = request.ok()?;
    let stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
        .await
        .ok()?;
    tokio::spawn(connection);
    let response = sender.send_request(request).await.ok()?;
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(Body::new(body), MAX_BODY_BYTES)
        .await
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null);
    Some(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}
