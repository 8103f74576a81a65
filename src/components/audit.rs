use crate::{
    components::{local_time::LocalTime, mode_badge::ModeBadge},
    i18n::use_messages,
    model::AuditEntry,
};
use leptos::prelude::*;

/// Audit rows, newest first.
#[component]
pub fn AuditTable(entries: Vec<AuditEntry>, show_user: bool) -> impl IntoView {
    let t = use_messages();
    if entries.is_empty() {
        return view! { <p class="hint" data-testid="audit-empty">{t.nothing_recorded}</p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|entry| {
            let outcome_class = format!("outcome-{}", entry.outcome);
            let (event_attr, outcome_attr) = (entry.event.clone(), entry.outcome.clone());
            let username = entry.username.unwrap_or_else(|| "—".into());
            let detail = entry.detail_data.as_ref().map(t.audit_detail).unwrap_or(entry.detail);
            view! {
                <tr data-testid="audit-row" data-event=event_attr data-outcome=outcome_attr>
                    <td><LocalTime unix=Some(entry.at)/></td>
                    {show_user.then(|| view! { <td>{username}</td> })}
                    <td>{(t.audit_event)(&entry.event)}</td>
                    <td class=outcome_class>
                        {(t.audit_outcome)(&entry.outcome)}
                        {(entry.repeats > 1).then(|| view! {
                            <small
                                class="repeats"
                                data-testid="audit-repeats"
                                title=t.repeats_title
                            >
                                " ×" {entry.repeats}
                            </small>
                        })}
                    </td>
                    <td>{entry.mode.map(|mode| view! { <ModeBadge mode/> })}</td>
                    <td>{entry.ip.unwrap_or_default()}</td>
                    <td><small>{detail}</small></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll" tabindex="0" role="region" aria-label=t.audit_trail>
            <table class="audit">
                <thead>
                    <tr>
                        <th>{t.when}</th>
                        {show_user.then(|| view! { <th>{t.user}</th> })}
                        <th>{t.event}</th>
                        <th>{t.outcome}</th>
                        <th>{t.mode}</th>
                        <th>{t.ip}</th>
                        <th>{t.detail}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
