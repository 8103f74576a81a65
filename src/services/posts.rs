//! The board. Who may change a post is decided in [`may`], and only there.

use crate::{
    auth::{now, Principal},
    error::AppError,
    model::{BadInput, Denial, Post, Role},
    on_db,
    state::AppState,
};

pub const MAX_POST_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostAction {
    Edit,
    Delete,
}

/// The ownership rule: authors edit and delete their own posts; an admin
/// may delete any post (moderation) but not put words in another's mouth.
pub fn may(principal: &Principal, author_id: i64, action: PostAction) -> bool {
    principal.user_id == author_id || (action == PostAction::Delete && principal.role == Role::Admin)
}

fn authorize(principal: &Principal, author_id: i64, action: PostAction) -> Result<(), AppError> {
    if may(principal, author_id, action) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Denial::NotYourPost {
            delete: action == PostAction::Delete,
        }))
    }
}

fn validate_body(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::BadRequest(BadInput::EmptyPost));
    }
    if body.chars().count() > MAX_POST_CHARS {
        return Err(AppError::BadRequest(BadInput::PostTooLong(MAX_POST_CHARS)));
    }
    Ok(body.to_owned())
}

crate::sql_row! {
    struct PostRow {
        id: i64,
        author_id: i64,
        author: String,
        body: String,
        created_at: i64,
        updated_at: i64,
    }
}

impl PostRow {
    fn for_viewer(self, viewer: &Principal) -> Post {
        Post {
            can_edit: may(viewer, self.author_id, PostAction::Edit),
            can_delete: may(viewer, self.author_id, PostAction::Delete),
            id: self.id,
            author: self.author,
            body: self.body,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const SELECT_POSTS: &str = "SELECT p.id, p.author_id, u.username AS author, p.body, p.created_at, p.updated_at
                            FROM posts p JOIN users u ON u.id = p.author_id";

async fn find(state: &AppState, id: i64) -> Result<PostRow, AppError> {
    on_db!(&state.db, |pool| sqlx::query_as(&format!(
        "{SELECT_POSTS} WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?
    .ok_or(AppError::NotFound)
}

pub async fn list(state: &AppState, viewer: &Principal) -> Result<Vec<Post>, AppError> {
    let rows: Vec<PostRow> = on_db!(&state.db, |pool| sqlx::query_as(&format!(
        "{SELECT_POSTS} ORDER BY p.id DESC LIMIT 200"
    ))
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|row| row.for_viewer(viewer)).collect())
}

pub async fn get(state: &AppState, viewer: &Principal, id: i64) -> Result<Post, AppError> {
    Ok(find(state, id).await?.for_viewer(viewer))
}

pub async fn create(state: &AppState, author: &Principal, body: &str) -> Result<Post, AppError> {
    let body = validate_body(body)?;
    let now = now();
    let query = "INSERT INTO posts (author_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4) RETURNING id";
    let id: i64 = on_db!(&state.db, |pool| sqlx::query_scalar(query)
        .bind(author.user_id)
        .bind(&body)
        .bind(now)
        .bind(now)
        .fetch_one(pool)
        .await)?;
    get(state, author, id).await
}

pub async fn update(state: &AppState, editor: &Principal, id: i64, body: &str) -> Result<Post, AppError> {
    let post = find(state, id).await?;
    authorize(editor, post.author_id, PostAction::Edit)?;
    let body = validate_body(body)?;
    on_db!(&state.db, |pool| sqlx::query(
        "UPDATE posts SET body = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(&body)
    .bind(now())
    .bind(id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    get(state, editor, id).await
}

pub async fn delete(state: &AppState, deleter: &Principal, id: i64) -> Result<(), AppError> {
    let post = find(state, id).await?;
    authorize(deleter, post.author_id, PostAction::Delete)?;
    on_db!(&state.db, |pool| sqlx::query("DELETE FROM posts WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AuthMode;

    fn principal(user_id: i64, role: Role) -> Principal {
        Principal {
            user_id,
            username: format!("user{user_id}"),
            role,
            mode: AuthMode::Session,
            credential_id: String::new(),
            expires_at: 0,
        }
    }

    #[test]
    fn authors_edit_and_delete_their_own() {
        let alice = principal(1, Role::User);
        assert!(may(&alice, 1, PostAction::Edit));
        assert!(may(&alice, 1, PostAction::Delete));
    }

    #[test]
    fn users_touch_nothing_of_others() {
        let bob = principal(2, Role::User);
        assert!(!may(&bob, 1, PostAction::Edit));
        assert!(!may(&bob, 1, PostAction::Delete));
        assert_eq!(authorize(&bob, 1, PostAction::Edit).unwrap_err().status_code(), 403);
    }

    #[test]
    fn admins_delete_any_but_edit_only_their_own() {
        let admin = principal(3, Role::Admin);
        assert!(may(&admin, 1, PostAction::Delete));
        assert!(!may(&admin, 1, PostAction::Edit));
        assert!(may(&admin, 3, PostAction::Edit));
    }

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(validate_body("  hi  ").unwrap(), "hi");
        assert!(validate_body("   ").is_err());
        assert!(validate_body(&"가".repeat(MAX_POST_CHARS)).is_ok());
        assert!(validate_body(&"가".repeat(MAX_POST_CHARS + 1)).is_err());
    }
}
