//! The client's address: the connection's peer, unless that peer is a
//! reverse proxy this server trusts (`AUTHLAB_TRUSTED_PROXIES`), which then
//! names the client in `X-Forwarded-For`. From anyone else the header is
//! ignored: a client could write any address into it, and the login limit
//! and the audit trail would believe it.

use crate::state::AppState;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use std::net::{IpAddr, SocketAddr};

/// Where the request came from, as this server decided (in the request's
/// extensions for everything after [`name_client`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Each proxy appends the address it got the request from, so the list
/// is read from its end: the first address that is not a trusted proxy is
/// the client. A list that does not parse is not trusted at all.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for hop in text.split(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) => hops.push(address),
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|address| !trusted.contains(address))
        .unwrap_or(peer)
}

pub async fn name_client(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let address = resolve(peer.ip(), request.headers(), &state.config.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(address));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    const PROXY: &str = "127.0.0.1";

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let trusted = [ip(PROXY)];
        assert_eq!(
            resolve(ip(PROXY), &headers(&["203.0.113.7"]), &trusted),
            ip("203.0.113.7")
        );
        // A client's own header comes first; nginx appends the real peer.
        assert_eq!(
            resolve(ip(PROXY), &headers(&["10.9.9.9, 203.0.113.7"]), &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            resolve(ip(PROXY), &headers(&["10.9.9.9", "203.0.113.7, 127.0.0.1"]), &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn anyone_else_cannot_choose_an_address() {
        assert_eq!(
            resolve(ip("198.51.100.2"), &headers(&["203.0.113.7"]), &[ip(PROXY)]),
            ip("198.51.100.2")
        );
        assert_eq!(resolve(ip(PROXY), &headers(&["203.0.113.7"]), &[]), ip(PROXY));
    }

    #[test]
    fn garbage_is_not_believed() {
        let trusted = [ip(PROXY)];
        for garbage in ["nonsense", "203.0.113.7, <script>", ""] {
            assert_eq!(
                resolve(ip(PROXY), &headers(&[garbage]), &trusted),
                ip(PROXY),
                "{garbage}"
            );
        }
        assert_eq!(resolve(ip(PROXY), &HeaderMap::new(), &trusted), ip(PROXY));
    }
}
