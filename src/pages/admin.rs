use crate::{
    error::AppError,
    model::{Role, UserSummary},
};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Every user for the console; `None` for an anonymous visitor, 403 for users.
#[server(prefix = "/rpc", endpoint = "admin_users")]
pub async fn admin_users() -> Result<Option<Vec<UserSummary>>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    if auth.principal.is_none() {
        return Ok(None);
    }
    let result = async { crate::services::admin::list_users(&ctx.state, auth.require_admin()?).await }.await;
    ctx.respond(result).map(Some)
}

#[server(prefix = "/rpc", endpoint = "set_role")]
pub async fn set_role(username: String, role: String) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let admin = auth.require_admin()?;
        let role = Role::parse(&role).ok_or_else(|| AppError::BadRequest("A role is `user` or `admin`.".into()))?;
        crate::services::admin::set_role(&ctx.state, admin, &username, role)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let set_role = ServerAction::<SetRole>::new();
    let users = Resource::new_blocking(move || set_role.version().get(), |_| admin_users());
    let error = move || set_role.value().get().and_then(Result::err);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(Some(users)) => view! {
                        <section class="admin">
                            <h1>"Admin console"</h1>
                            {move || error().map(|err| view! { <p class="error" role="alert">{err.to_string()}</p> })}
                            <UserTable users set_role/>
                        </section>
                    }
                        .into_any(),
                    Ok(None) => view! { <Redirect path="/login?next=/admin"/> }.into_any(),
                    Err(AppError::Forbidden(_)) => view! {
                        <section class="narrow" data-testid="forbidden">
                            <h1>"403 — admins only"</h1>
                            <p>
                                "You are logged in, so this is not a question of who you are (that would be 401) "
                                "but of what you may do: the admin console needs the admin role."
                            </p>
                        </section>
                    }
                        .into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>, set_role: ServerAction<SetRole>) -> impl IntoView {
    view! {
        <table class="users">
            <thead>
                <tr>
                    <th>"User"</th>
                    <th>"Role"</th>
                    <th>"Posts"</th>
                    <th>"Last login"</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| {
                        let (other_role, label) = match user.role {
                            Role::User => (Role::Admin, "Make admin"),
                            Role::Admin => (Role::User, "Make user"),
                        };
                        let username = user.username;
                        let (row_key, form_value) = (username.clone(), username.clone());
                        view! {
                            <tr data-testid="user-row" data-username=row_key>
                                <td>{username}</td>
                                <td data-testid="user-role">{user.role.as_str()}</td>
                                <td>{user.post_count}</td>
                                <td><LocalTime unix=user.last_login_at/></td>
                                <td>
                                    <ActionForm action=set_role attr:class="inline">
                                        <input type="hidden" name="username" value=form_value/>
                                        <input type="hidden" name="role" value=other_role.as_str()/>
                                        <button type="submit" class="button-secondary">{label}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A Unix time as UTC, rendered identically on server and client.
#[component]
fn LocalTime(unix: Option<i64>) -> impl IntoView {
    let text = unix.map(format_utc).unwrap_or_else(|| "never".into());
    view! { <time>{text}</time> }
}

/// `2026-11-23 09:41 UTC` from Unix seconds (days-to-civil, Howard Hinnant).
pub fn format_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let seconds = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::format_utc;

    #[test]
    fn formats_unix_times_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_795_425_519), "2026-11-23 09:18 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
    }
}
