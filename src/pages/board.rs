use crate::{components::error_note::ErrorNote, error::AppError, i18n::use_messages, model::Post};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// All posts, newest first; `None` for an anonymous visitor.
#[server(prefix = "/rpc", endpoint = "posts")]
pub async fn list_posts() -> Result<Option<Vec<Post>>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let Some(principal) = &auth.principal else {
        return Ok(None);
    };
    let result = crate::services::posts::list(&ctx.state, principal).await;
    ctx.respond(result).map(Some)
}

#[server(prefix = "/rpc", endpoint = "create_post")]
pub async fn create_post(body: String) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        crate::services::posts::create(&ctx.state, auth.require_user()?, &body)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "update_post")]
pub async fn update_post(id: i64, body: String) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        crate::services::posts::update(&ctx.state, auth.require_user()?, id, &body)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "delete_post")]
pub async fn delete_post(id: i64) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async { crate::services::posts::delete(&ctx.state, auth.require_user()?, id).await }.await;
    ctx.respond(result)
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let t = use_messages();
    let create = ServerAction::<CreatePost>::new();
    let update = ServerAction::<UpdatePost>::new();
    let delete = ServerAction::<DeletePost>::new();
    let posts = Resource::new_blocking(
        move || (create.version().get(), update.version().get(), delete.version().get()),
        |_| list_posts(),
    );
    // The latest refusal of any of the three actions, e.g. "not yours".
    let error = move || {
        [create.value().get(), update.value().get(), delete.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
    };

    view! {
        <section class="board">
            <h1>{t.board_title}</h1>
            <p class="hint">{t.board_hint}</p>
            {move || error().map(|err| view! { <ErrorNote error=err testid="board-error"/> })}
            <ActionForm action=create attr:class="form card" attr:data-testid="new-post">
                <label>
                    {t.new_post} <textarea name="body" rows="3" maxlength="2000" required></textarea>
                </label>
                <button type="submit" disabled=move || create.pending().get() data-testid="post-submit">{t.post_button}</button>
            </ActionForm>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match posts.await {
                        Ok(Some(posts)) if posts.is_empty() => view! { <p data-testid="no-posts">{t.no_posts}</p> }.into_any(),
                        Ok(Some(posts)) => view! {
                            <ul class="posts">
                                {posts.into_iter().map(|post| view! { <PostItem post update delete/> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Ok(None) => view! { <Redirect path="/login?next=/board"/> }.into_any(),
                        Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PostItem(post: Post, update: ServerAction<UpdatePost>, delete: ServerAction<DeletePost>) -> impl IntoView {
    let t = use_messages();
    let Post {
        id,
        author,
        body,
        can_edit,
        can_delete,
        created_at,
        updated_at,
    } = post;
    let edited = (updated_at != created_at).then_some(t.edited);
    let author_attr = author.clone();
    view! {
        <li class="card post" data-testid="post" data-author=author_attr data-id=id>
            <p class="post-meta"><strong>{author}</strong> " · #" {id} {edited}</p>
            <p class="post-body" data-testid="post-body">{body.clone()}</p>
            <div class="post-actions">
                // <details> opens without JavaScript too.
                {can_edit.then(|| view! {
                    <details>
                        <summary data-testid="edit-post">{t.edit}</summary>
                        <ActionForm action=update attr:class="form">
                            <input type="hidden" name="id" value=id/>
                            <textarea name="body" rows="3" maxlength="2000" required aria-label=t.edit>{body.clone()}</textarea>
                            <button type="submit" data-testid="save-post">{t.save}</button>
                        </ActionForm>
                    </details>
                })}
                {can_delete.then(|| view! {
                    <ActionForm action=delete attr:class="inline">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button-secondary" data-testid="delete-post">{t.delete}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}
