use crate::{i18n::use_basics, model::AuthMode};
use leptos::prelude::*;

/// A coloured label naming the mode: the same colour on every page.
#[component]
pub fn ModeBadge(mode: AuthMode) -> impl IntoView {
    view! {
        <span class=format!("badge badge-{}", mode.as_str()) data-mode=mode.as_str() data-testid="mode-badge">
            {use_basics().mode_label(mode)}
        </span>
    }
}
