//! The admin console: users, their roles and activity.

use crate::{
    auth::{guard::Admin, refresh::ClientInfo},
    error::AppError,
    model::{AuditDetail, AuditEvent, LoginView, Role, UserSummary},
    services::{
        audit::{self, Entry, Outcome},
        logins,
    },
    state::AppState,
};
use crate::{db::WritePool, on_db};

crate::sql_row! {
    struct UserSummaryRow {
        username: String,
        role: String,
        post_count: i64,
        created_at: i64,
        last_login_at: Option<i64>,
    }
}

impl From<UserSummaryRow> for UserSummary {
    fn from(row: UserSummaryRow) -> Self {
        UserSummary {
            role: Role::parse(&row.role).unwrap_or(Role::User),
            username: row.username,
            post_count: row.post_count,
            created_at: row.created_at,
            last_login_at: row.last_login_at,
        }
    }
}

const SELECT_SUMMARIES: &str = "SELECT u.username, u.role, u.created_at, u.last_login_at,
            (SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id) AS post_count
     FROM users u";

/// Every user, admins first.
pub async fn list_users(state: &AppState, _admin: Admin<'_>) -> Result<Vec<UserSummary>, AppError> {
    let rows: Vec<UserSummaryRow> = on_db!(&state.db, |pool| sqlx::query_as(&format!(
        "{SELECT_SUMMARIES} ORDER BY u.role = 'admin' DESC, u.username COLLATE NOCASE"
    ))
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(UserSummary::from).collect())
}

/// Changes a role. Demoting the last admin is refused: nobody could undo it.
pub async fn set_role(
    state: &AppState,
    admin: Admin<'_>,
    client: &ClientInfo,
    username: &str,
    role: Role,
) -> Result<UserSummary, AppError> {
    let (user_id, current, summary) = on_db!(&state.db, |pool| {
        let mut tx = pool.begin_write().await?;
        let current: Option<(i64, String)> = sqlx::query_as("SELECT id, role FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        let (user_id, current) = current.ok_or(AppError::NotFound)?;
        let current = Role::parse(&current).ok_or_else(|| AppError::internal(format!("unknown role {current:?}")))?;
        if current == Role::Admin && role != Role::Admin {
            let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
                .fetch_one(&mut *tx)
                .await?;
            if admins <= 1 {
                return Err(AppError::LastAdmin);
            }
        }
        sqlx::query("UPDATE users SET role = $1 WHERE username = $2")
            .bind(role.as_str())
            .bind(username)
            .execute(&mut *tx)
            .await?;
        let summary: UserSummaryRow = sqlx::query_as(&format!("{SELECT_SUMMARIES} WHERE u.username = $1"))
            .bind(username)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        (user_id, current, summary)
    });
    state.users.forget(user_id).await;
    tracing::info!(username, role = %role, by = %admin.principal().username, "role changed");
    let entry = Entry::new(AuditEvent::RoleChange, Outcome::Ok)
        .user(user_id, &summary.username)
        .detail(AuditDetail::RoleChanged {
            from: current,
            to: role,
            by: admin.principal().username.clone(),
        });
    audit::record(&state.db, client, entry).await;
    Ok(summary.into())
}

/// Every live login, or only `username`'s.
pub async fn list_logins(
    state: &AppState,
    admin: Admin<'_>,
    username: Option<&str>,
) -> Result<Vec<LoginView>, AppError> {
    let user_id = match username.filter(|name| !name.is_empty()) {
        Some(name) => Some(
            crate::db::find_user_by_name(&state.db, name)
                .await?
                .ok_or(AppError::NotFound)?
                .id,
        ),
        None => None,
    };
    logins::list(state, user_id, Some(admin.principal())).await
}
