//! The API's contract, generated from the handlers' annotations
//! (`GET /api/openapi.json`), and a viewer for people (`/api/docs`, Swagger
//! UI served from this binary: nothing comes from a CDN).

use super::ErrorBody;
use axum::{
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::Response,
    Router,
};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Auth Lab",
        description = "Session cookies and JWTs side by side. Errors are `{\"error\": code, \"message\": text}`; \
            the message follows `Accept-Language` (en, ko). State-changing requests from another site's page \
            are refused with 403 `csrf`."
    ),
    paths(
        super::session_login,
        super::jwt_login,
        super::jwt_refresh,
        super::logout,
        super::signup,
        super::me,
        super::livez,
        super::readyz,
        super::healthz,
        super::me::list_logins,
        super::me::revoke_login,
        super::me::logout_others,
        super::me::change_password,
        super::me::audit_trail,
        super::posts::list,
        super::posts::create,
        super::posts::get,
        super::posts::update,
        super::posts::delete,
        super::admin::list_users,
        super::admin::set_role,
        super::admin::sessions,
        super::admin::force_logout,
        super::admin::get_settings,
        super::admin::put_settings,
        super::admin::audit_trail,
        super::compare::compare,
        super::compare::watch,
        super::compare::start,
        super::compare::stop,
        super::compare::act,
        super::lab::probe,
        super::lab::naive_protected,
        super::lab::attack,
        super::lab::check,
        super::lab::replay,
        super::lab::propagation,
        super::lab::csrf_target,
        super::lab::csrf_attempts,
        super::cluster::instance,
        super::cluster::restart,
        super::cluster::take_settings,
    ),
    components(schemas(ErrorBody)),
    modifiers(&CredentialSchemes)
)]
pub struct ApiDoc;

/// The two ways to present a credential: the session cookie, or a Bearer
/// access token (the browser's JWT cookies are for pages, not for API clients).
struct CredentialSchemes;

impl Modify for CredentialSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("authlab_sid"))),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The spec at `/api/openapi.json` and Swagger UI at `/api/docs`, with a
/// policy of their own: the viewer's scripts are files of this site, but
/// it styles elements inline.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
        .layer(middleware::from_fn(docs_policy))
        .with_state(())
}

async fn docs_policy(request: axum::extract::Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    response
}
