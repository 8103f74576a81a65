use crate::model::AuthMode;
use leptos::prelude::*;

/// A coloured label naming the mode: the same colour on every page.
#[component]
pub fn ModeBadge(mode: AuthMode) -> impl IntoView {
    view! {
        <span class=format!("badge badge-{}", mode.as_str()) data-mode=mode.as_str()>
            {mode.label()}
        </span>
    }
}
