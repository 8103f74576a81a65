use crate::{i18n::use_basics, model::format_utc};
use leptos::prelude::*;

/// A Unix time as UTC, rendered identically on server and client.
#[component]
pub fn LocalTime(unix: Option<i64>) -> impl IntoView {
    let text = unix.map(format_utc).unwrap_or_else(|| use_basics().never.into());
    view! { <time>{text}</time> }
}
