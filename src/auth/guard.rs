//! Guards: the only way handlers ask "who is this?". 401 when nobody (or a
//! refused credential) is there, 403 when someone is there but may not.

use super::{AuthContext, Principal};
use crate::{
    error::AppError,
    model::{Denial, Role},
};
use axum::{extract::FromRequestParts, http::request::Parts};

/// A principal known to be an admin: only [`AuthContext::require_admin`]
/// makes one, so a service taking it cannot be reached by anyone else.
#[derive(Debug, Clone, Copy)]
pub struct Admin<'a>(&'a Principal);

impl Admin<'_> {
    pub fn principal(&self) -> &Principal {
        self.0
    }
}

impl AuthContext {
    pub fn require_user(&self) -> Result<&Principal, AppError> {
        match (&self.principal, &self.refusal) {
            (Some(principal), _) => Ok(principal),
            (None, Some(why)) => Err(AppError::CredentialRefused(why.clone())),
            (None, None) => Err(AppError::Unauthenticated),
        }
    }

    /// Proof of an admin, which admin-only services take as an argument.
    pub fn require_admin(&self) -> Result<Admin<'_>, AppError> {
        self.require_role(Role::Admin).map(Admin)
    }

    pub fn require_role(&self, role: Role) -> Result<&Principal, AppError> {
        let principal = self.require_user()?;
        if principal.role == role {
            Ok(principal)
        } else {
            Err(AppError::Forbidden(Denial::NeedsRole { role }))
        }
    }

    /// Reads what the auth layer stored for this request.
    pub fn from_parts(parts: &Parts) -> Self {
        parts.extensions.get::<AuthContext>().cloned().unwrap_or_else(|| {
            // Only reachable if a route is mounted outside the auth layer.
            tracing::error!("auth layer did not run for {}", parts.uri.path());
            AuthContext::default()
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(AuthContext::from_parts(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AuthMode, Refusal, TokenRejection};

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: 1,
            username: "alice".into(),
            role,
            mode: AuthMode::Session,
            credential_id: "id".into(),
            expires_at: 0,
        }
    }

    #[test]
    fn anonymous_is_401_and_says_why_a_credential_was_refused() {
        assert_eq!(
            AuthContext::default().require_user().unwrap_err(),
            AppError::Unauthenticated
        );
        let refused = AuthContext {
            refusal: Some(Refusal::Token(TokenRejection::Expired)),
            ..AuthContext::default()
        };
        assert_eq!(
            refused.require_user().unwrap_err(),
            AppError::CredentialRefused(Refusal::Token(TokenRejection::Expired))
        );
        assert_eq!(refused.require_user().unwrap_err().status_code(), 401);
    }

    #[test]
    fn wrong_role_is_403_right_role_passes() {
        let user = AuthContext {
            principal: Some(principal(Role::User)),
            ..AuthContext::default()
        };
        assert_eq!(
            user.require_role(Role::Admin).unwrap_err(),
            AppError::Forbidden(Denial::NeedsRole { role: Role::Admin })
        );
        let admin = AuthContext {
            principal: Some(principal(Role::Admin)),
            ..AuthContext::default()
        };
        assert_eq!(admin.require_role(Role::Admin).unwrap().username, "alice");
    }
}
