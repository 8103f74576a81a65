use crate::{
    components::{local_time::LocalTime, mode_badge::ModeBadge},
    model::AuditEntry,
};
use leptos::prelude::*;

/// Audit rows, newest first.
#[component]
pub fn AuditTable(entries: Vec<AuditEntry>, show_user: bool) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="hint">"Nothing recorded yet."</p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|entry| {
            let outcome_class = format!("outcome-{}", entry.outcome);
            let (event_attr, outcome_attr) = (entry.event.clone(), entry.outcome.clone());
            let username = entry.username.unwrap_or_else(|| "—".into());
            view! {
                <tr data-testid="audit-row" data-event=event_attr data-outcome=outcome_attr>
                    <td><LocalTime unix=Some(entry.at)/></td>
                    {show_user.then(|| view! { <td>{username}</td> })}
                    <td><code>{entry.event}</code></td>
                    <td class=outcome_class>
                        {entry.outcome}
                        {(entry.repeats > 1).then(|| view! {
                            <small
                                class="repeats"
                                data-testid="audit-repeats"
                                title="identical requests in a row; the time is the latest"
                            >
                                " ×" {entry.repeats}
                            </small>
                        })}
                    </td>
                    <td>{entry.mode.map(|mode| view! { <ModeBadge mode/> })}</td>
                    <td>{entry.ip.unwrap_or_default()}</td>
                    <td><small>{entry.detail}</small></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll">
            <table class="audit">
                <thead>
                    <tr>
                        <th>"When"</th>
                        {show_user.then(|| view! { <th>"User"</th> })}
                        <th>"Event"</th>
                        <th>"Outcome"</th>
                        <th>"Mode"</th>
                        <th>"IP"</th>
                        <th>"Detail"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
