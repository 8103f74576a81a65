//! The auth layer: resolves a request's credential once, records each step
//! in an [`AuthTrace`], and stores the outcome as an [`AuthContext`]
//! extension. Pages, server functions and the JSON API only read it.

use super::{
    cookies::{self, ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE},
    jwt::{TokenRejection, Verified},
    now,
    session::{SessionAuth, AUTH_KEY, TOUCH_INTERVAL_SECS},
    AccessToken, AuthContext, Principal,
};
use crate::{
    auth::refresh::{self, ClientInfo},
    model::{AuditDetail, AuditEvent, AuthMode, AuthTrace, DeniedBecause, Refusal, Step, TraceStep},
    services::{
        audit::{self, AuditMark, Entry, Outcome},
        auth as auth_service,
    },
    state::{append_cookies, AppState},
};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::Response,
};
use cookie::Cookie;
use std::time::Instant;
use tower_sessions::Session;

pub async fn resolve_credentials(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(AuditMark::default());
    let client = auth_service::client_info(request.headers(), request.extensions());
    let session = request.extensions().get::<Session>().cloned();
    let mut resolver = Resolver::new(request.headers());
    resolver.context.trace.request = format!("{} {}", request.method(), request.uri().path());
    resolver.resolve(&state, request.headers(), session, &client).await;
    let Resolver {
        context, set_cookies, ..
    } = resolver;
    state.recent.record(&context.trace);
    state.instance.count(&context);
    let denied = DeniedRequest {
        request: context.trace.request.clone(),
        principal: context.principal.clone(),
        refusal: context.refusal.clone(),
    };
    request.extensions_mut().insert(context);

    let mut response = next.run(request).await;
    append_cookies_not_already_set(response.headers_mut(), set_cookies);
    let status = response.status();
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) && !client.audit_mark.is_set() {
        denied.record(&state, &client, status).await;
    }
    response
}

/// What the audit trail keeps of a request answered 401 or 403 that no
/// service recorded itself (as a failed login would be).
struct DeniedRequest {
    request: String,
    principal: Option<Principal>,
    refusal: Option<Refusal>,
}

impl DeniedRequest {
    async fn record(self, state: &AppState, client: &ClientInfo, status: StatusCode) {
        let because = match (&self.principal, self.refusal) {
            (Some(_), _) => DeniedBecause::NotAllowed,
            (None, Some(refusal)) => DeniedBecause::Refused(refusal),
            (None, None) => DeniedBecause::NoCredential,
        };
        let mut entry = Entry::new(AuditEvent::Denied, Outcome::Denied).detail(AuditDetail::Denied {
            status: status.as_u16(),
            request: self.request,
            because,
        });
        if let Some(principal) = &self.principal {
            entry = entry.principal(principal);
        }
        audit::record(&state.db, client, entry).await;
    }
}

/// A handler that logged in or out has the last word on its cookies.
fn append_cookies_not_already_set(headers: &mut HeaderMap, cookies: Vec<Cookie<'static>>) {
    let already_set: Vec<String> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| Cookie::parse(value.to_owned()).ok())
        .map(|cookie| cookie.name().to_owned())
        .collect();
    let missing: Vec<_> = cookies
        .into_iter()
        .filter(|cookie| !already_set.iter().any(|name| name == cookie.name()))
        .collect();
    append_cookies(headers, &missing);
}

struct Resolver {
    context: AuthContext,
    set_cookies: Vec<Cookie<'static>>,
    started: Instant,
    last_step: Instant,
}

impl Resolver {
    fn new(headers: &HeaderMap) -> Self {
        let credential_header_bytes = [header::COOKIE, header::AUTHORIZATION]
            .iter()
            .flat_map(|name| headers.get_all(name).iter())
            .map(|value| value.len())
            .sum();
        // As HTTP/1.1 sends each field: `name: value` and a line end.
        let request_header_bytes = headers
            .iter()
            .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
            .sum();
        let started = Instant::now();
        Resolver {
            context: AuthContext {
                trace: AuthTrace {
                    credential_header_bytes,
                    request_header_bytes,
                    ..AuthTrace::default()
                },
                ..AuthContext::default()
            },
            set_cookies: Vec::new(),
            started,
            last_step: started,
        }
    }

    /// Records a step with the time spent since the previous one.
    fn step(&mut self, step: Step) {
        let now = Instant::now();
        self.context.trace.steps.push(TraceStep {
            step,
            micros: now.duration_since(self.last_step).as_micros() as u64,
        });
        self.last_step = now;
    }

    fn refuse(&mut self, refusal: Refusal) {
        self.step(Step::Refused {
            refusal: refusal.clone(),
        });
        self.context.refusal = Some(refusal);
    }

    async fn resolve(&mut self, state: &AppState, headers: &HeaderMap, session: Option<Session>, client: &ClientInfo) {
        let jar = cookies::request_cookies(headers);
        let secure = state.config.secure_cookies;
        let access_cookie = cookies::find(&jar, cookies::named(ACCESS_COOKIE, secure)).map(str::to_owned);
        let refresh_cookie = cookies::find(&jar, cookies::named(REFRESH_COOKIE, secure)).map(str::to_owned);
        let session_cookie = cookies::find(&jar, cookies::named(SESSION_COOKIE, secure)).map(str::len);

        if let Some(authorization) = headers.get(header::AUTHORIZATION) {
            self.context.trace.mode = Some(AuthMode::Jwt);
            self.resolve_bearer(state, authorization).await;
        } else if access_cookie.is_some() || refresh_cookie.is_some() {
            self.context.trace.mode = Some(AuthMode::Jwt);
            self.resolve_jwt_cookies(state, access_cookie, refresh_cookie, client)
                .await;
        } else if let (Some(bytes), Some(session)) = (session_cookie, session) {
            self.context.trace.mode = Some(AuthMode::Session);
            self.resolve_session(state, bytes, session).await;
        } else {
            self.step(Step::Anonymous);
        }
        self.context.trace.total_micros = self.started.elapsed().as_micros() as u64;
    }

    async fn resolve_bearer(&mut self, state: &AppState, authorization: &HeaderValue) {
        self.step(Step::ReadAuthorization {
            bytes: authorization.len(),
        });
        let token = authorization
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_owned());
        let Some(token) = token else {
            return self.refuse(Refusal::NotBearer);
        };
        self.verify_access_token(state, token).await;
    }

    /// Signature and claims only: no lookup, the token carries everything.
    /// Unless strict revocation is on: then its login is looked up too.
    async fn verify_access_token(&mut self, state: &AppState, token: String) -> Option<TokenRejection> {
        match state.jwt.verify(&token) {
            Ok(Verified { claims, cached }) => {
                let claims_for_display = claims.clone();
                let strict = state.settings.strict_revocation();
                self.step(Step::VerifiedSignature {
                    lookup_follows: strict,
                    cached,
                });
                if strict && !self.login_is_live(state, &claims.sid).await {
                    return None;
                }
                match claims.user_id() {
                    Some(user_id) => {
                        self.context.principal = Some(Principal {
                            user_id,
                            username: claims.name,
                            role: claims.role,
                            mode: AuthMode::Jwt,
                            credential_id: claims.sid,
                            expires_at: claims.exp as i64,
                        });
                        self.context.access_token = Some(AccessToken {
                            token,
                            claims: claims_for_display,
                        });
                    }
                    None => self.refuse(Refusal::SubjectNotUser),
                }
                None
            }
            Err(rejection) => {
                self.refuse(Refusal::Token(rejection.clone()));
                Some(rejection)
            }
        }
    }

    /// Strict revocation: the token names its login (`sid`); is it still live?
    async fn login_is_live(&mut self, state: &AppState, family_id: &str) -> bool {
        self.context.trace.touched_server_state = true;
        match refresh::family_is_live(&state.db, family_id, now()).await {
            Ok(true) => {
                self.step(Step::StrictLookupLive);
                true
            }
            Ok(false) => {
                self.refuse(Refusal::StrictRevoked);
                false
            }
            Err(_) => {
                self.refuse(Refusal::StrictLookupFailed);
                false
            }
        }
    }

    async fn resolve_jwt_cookies(
        &mut self,
        state: &AppState,
        access: Option<String>,
        refresh: Option<String>,
        client: &ClientInfo,
    ) {
        let secure = state.config.secure_cookies;
        if let Some(token) = access {
            self.step(Step::ReadCookie {
                name: cookies::named(ACCESS_COOKIE, secure).into(),
                bytes: token.len(),
            });
            match self.verify_access_token(state, token).await {
                // Refused by strict revocation: the refresh token is dead too.
                None if self.context.principal.is_none() => {
                    self.set_cookies.extend(cookies::jwt_removal_cookies(secure));
                    return;
                }
                None => return,
                Some(TokenRejection::Expired) => {}
                // A forged or broken token is not a reason to spend the refresh token.
                Some(_) => {
                    self.set_cookies.push(cookies::removal_cookie(ACCESS_COOKIE, secure));
                    return;
                }
            }
        }
        let Some(refresh_token) = refresh else {
            return;
        };
        self.step(Step::RefreshNeeded {
            cookie: cookies::named(REFRESH_COOKIE, secure).into(),
        });
        self.context.trace.touched_server_state = true;
        match state.refresh_grace.refresh(state, &refresh_token, client).await {
            Ok(pair) => {
                self.step(Step::Rotated);
                self.set_cookies.extend(auth_service::jwt_cookies(state, &pair));
                self.verify_access_token(state, pair.access_token).await;
            }
            Err(err) => {
                self.refuse(Refusal::RefreshFailed((&err).into()));
                self.set_cookies.extend(cookies::jwt_removal_cookies(secure));
            }
        }
    }

    async fn resolve_session(&mut self, state: &AppState, cookie_bytes: usize, session: Session) {
        self.step(Step::ReadCookie {
            name: cookies::named(SESSION_COOKIE, state.config.secure_cookies).into(),
            bytes: cookie_bytes,
        });
        self.context.trace.touched_server_state = true;
        // A cached login is read in place; otherwise the session loads it.
        let id = session.id();
        let fast = id.and_then(|id| state.sessions.cached_auth(&id));
        let cached = fast.is_some() || id.is_some_and(|id| state.sessions.is_cached(&id));
        let record = match fast {
            Some(auth) => Ok(Some(auth)),
            None => session.get::<SessionAuth>(AUTH_KEY).await,
        };
        let store = state.sessions.describe();
        let mut auth = match record {
            Ok(Some(auth)) => auth,
            Ok(None) => {
                return self.refuse(Refusal::NoSessionRecord {
                    store: store.to_string(),
                });
            }
            Err(err) => {
                tracing::error!(%err, "session store lookup failed");
                return self.refuse(Refusal::SessionStoreUnreadable);
            }
        };
        self.step(Step::SessionFound {
            store: store.to_string(),
            cached,
        });
        let now = now();
        let absolute_expiry = auth.login_at + state.config.session_absolute_ttl as i64;
        if now >= absolute_expiry {
            let _ = session.flush().await;
            return self.refuse(Refusal::SessionTooOld);
        }
        let user = match state.users.find(&state.db, auth.user_id).await {
            Ok((Some(user), cached)) => {
                self.step(Step::UserLoaded { cached });
                user
            }
            Ok((None, _)) => {
                let _ = session.flush().await;
                return self.refuse(Refusal::SessionUserGone);
            }
            Err(_) => return self.refuse(Refusal::UsersUnreadable),
        };
        if now - auth.last_seen_at >= TOUCH_INTERVAL_SECS {
            auth.last_seen_at = now;
            if session.insert(AUTH_KEY, &auth).await.is_ok() {
                self.step(Step::IdleExtended);
            }
        }
        let idle_expiry = session.expiry_date().unix_timestamp();
        self.context.principal = Some(Principal {
            user_id: user.id,
            username: user.username,
            role: user.role,
            mode: AuthMode::Session,
            credential_id: session.id().map(|id| id.to_string()).unwrap_or_default(),
            expires_at: idle_expiry.min(absolute_expiry),
        });
    }
}
