use crate::{error::AppError, i18n::use_basics};
use leptos::prelude::*;

/// An error, told in the page's language, with its stable code for suites.
#[component]
pub fn ErrorNote(error: AppError, #[prop(optional)] testid: &'static str) -> impl IntoView {
    let testid = (!testid.is_empty()).then_some(testid);
    view! {
        <p class="error" role="alert" data-code=error.code() data-testid=testid>
            {(use_basics().error)(&error)}
        </p>
    }
}
