//! `/guide`: a study group's hour, one step per claim of the debate, each
//! pointing at the experiment that tests it. Printable (`@media print`).

use crate::{i18n::use_messages, model::guide::GuideStep};
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

#[cfg(not(feature = "hydrate"))]
fn print_page() {}

#[component]
pub fn GuidePage() -> impl IntoView {
    let t = use_messages();
    let plan = GuideStep::ALL
        .into_iter()
        .enumerate()
        .scan(0, |start, (index, step)| {
            let from = *start;
            *start += step.minutes();
            Some(view! {
                <tr>
                    <td><a href=format!("#step-{}", step.as_str())>{format!("{}. {}", index + 1, (t.guide_step)(step).title)}</a></td>
                    <td>{(t.guide_minutes)(step.minutes())}</td>
                    <td>{(t.guide_minutes)(from)}</td>
                </tr>
            })
        })
        .collect_view();
    view! {
        <section class="guide" data-testid="guide">
            <h1>{t.guide_title}</h1>
            <p class="lead">{t.guide_lead}</p>
            <p>{t.guide_how}</p>
            <p class="no-print">
                <button type="button" class="button-secondary" data-testid="guide-print" on:click=move |_| print_page()>
                    {t.guide_print}
                </button>
            </p>
            <article class="card guide-plan">
                <h2>{t.guide_plan}</h2>
                <table data-testid="guide-plan">
                    <thead>
                        <tr>
                            <th scope="col">{t.guide_step_col}</th>
                            <th scope="col">{t.guide_minutes_col}</th>
                            <th scope="col">{t.guide_from_col}</th>
                        </tr>
                    </thead>
                    <tbody>{plan}</tbody>
                </table>
            </article>
            <ol class="guide-steps">
                {GuideStep::ALL.into_iter().map(|step| view! { <Step step/> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Step(step: GuideStep) -> impl IntoView {
    let t = use_messages();
    let text = (t.guide_step)(step);
    view! {
        <li class="card guide-step" id=format!("step-{}", step.as_str()) data-testid="guide-step" data-step=step.as_str()>
            <h2>
                {text.title}
                " "
                <span class="guide-minutes">{(t.guide_minutes)(step.minutes())}</span>
            </h2>
            <dl>
                <dt>{t.guide_claim_label}</dt>
                <dd>{text.claim}</dd>
                <dt>{t.guide_try_label}</dt>
                <dd>
                    <ul class="guide-links">
                        {step
                            .links()
                            .iter()
                            .map(|link| view! {
                                <li>
                                    <a href=*link data-testid="guide-link">{(t.guide_link)(link)}</a>
                                    <span class="print-only">{format!(" ({link})")}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                </dd>
                <dt>{t.guide_look_label}</dt>
                <dd>{text.look_for}</dd>
                <dt>{t.guide_question_label}</dt>
                <dd class="guide-question">{text.question}</dd>
            </dl>
        </li>
    }
}
