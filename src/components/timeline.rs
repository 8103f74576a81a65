//! Two request streams, one per mode, on one time axis: the race of
//! `/compare/race` and the Lab's propagation runs draw with it.

use crate::{
    i18n::use_messages,
    model::{
        race::{RaceEvent, RaceLane},
        Role,
    },
};
use leptos::prelude::*;

/// Both streams on one time axis: a box per request, coloured by outcome,
/// the presenter's actions as vertical lines.
#[component]
pub fn Timeline(
    session: RaceLane,
    jwt: RaceLane,
    events: Vec<RaceEvent>,
    elapsed_ms: i64,
    tick_ms: u64,
    /// How much time the axis spans, in milliseconds: a multiple of 6 s
    /// (the axis has six steps); the latest `shown_ms` are drawn.
    shown_ms: i64,
) -> impl IntoView {
    let t = use_messages();
    const WIDTH: f64 = 960.0;
    const LEFT: f64 = 90.0;
    const LANE: f64 = 56.0;
    const TOP: f64 = 26.0;
    let height = TOP + 2.0 * LANE + 30.0;
    let end_ms = elapsed_ms.max(shown_ms);
    let start_ms = end_ms - shown_ms;
    const RIGHT: f64 = 30.0;
    let x = move |at_ms: i64| LEFT + (at_ms - start_ms) as f64 / shown_ms as f64 * (WIDTH - LEFT - RIGHT);
    let tick_width = (WIDTH - LEFT - RIGHT) * tick_ms as f64 / shown_ms as f64 * 0.8;
    let lane_view = |index: usize, lane: &RaceLane| {
        let y = TOP + index as f64 * LANE;
        let boxes = lane
            .ticks
            .iter()
            .filter(|tick| tick.at_ms >= start_ms)
            .map(|tick| {
                let class = format!("tick tick-{}", tick.outcome.as_str());
                let admin = (tick.role == Some(Role::Admin)).then(|| {
                    view! { <text x=x(tick.at_ms) + tick_width / 2.0 y=y + 27.0 class="tick-mark">"A"</text> }
                });
                let refreshed = tick.refreshed.then(|| {
                    view! { <circle cx=x(tick.at_ms) + tick_width / 2.0 cy=y + 44.0 r="3" class="tick-refresh"/> }
                });
                view! {
                    <rect x=x(tick.at_ms) y=y + 6.0 width=tick_width height="30" rx="2" class=class>
                        <title>{(t.race_last_tick)(tick)}</title>
                    </rect>
                    {admin}
                    {refreshed}
                }
            })
            .collect_view();
        let expiry = lane
            .token_refused_from_ms
            .filter(|at| *at >= start_ms && *at <= end_ms + 5_000)
            .map(|at| {
                let at = at.min(end_ms);
                view! {
                    <line x1=x(at) y1=y + 2.0 x2=x(at) y2=y + 40.0 class="token-expiry"/>
                    <text x=x(at) + 3.0 y=y + 52.0 class="axis-label">{t.race_token_ends}</text>
                }
            });
        view! {
            <g data-testid="race-lane" data-mode=lane.mode.as_str() data-ticks=lane.ticks.len()>
                <text x="4" y=y + 26.0 class=format!("lane-label lane-{}", lane.mode.as_str())>
                    {t.mode_label(lane.mode)}
                </text>
                {boxes}
                {expiry}
            </g>
        }
    };
    let events = events
        .iter()
        .filter(|event| event.at_ms >= start_ms)
        .map(|event| {
            view! {
                <line x1=x(event.at_ms) y1=TOP - 6.0 x2=x(event.at_ms) y2=TOP + 2.0 * LANE class="race-event"/>
                <text x=x(event.at_ms) + 3.0 y=TOP - 10.0 class="axis-label">{(t.race_action)(event.action)}</text>
            }
        })
        .collect_view();
    let seconds_axis = (0..=6)
        .map(|step| {
            let at = start_ms + step * shown_ms / 6;
            view! { <text x=x(at) y=height - 6.0 class="axis-label axis-second">{(t.seconds)(at / 1000)}</text> }
        })
        .collect_view();
    view! {
        // Focusable: on a phone it scrolls sideways, by keyboard too.
        <figure class="card timeline" tabindex="0">
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                data-testid="race-timeline"
            >
                <title>{(t.race_timeline_label)(&session, &jwt)}</title>
                {lane_view(0, &session)}
                {lane_view(1, &jwt)}
                {events}
                {seconds_axis}
            </svg>
            <figcaption class="legend">
                <span class="swatch tick-accepted"></span> {t.legend_accepted}
                <span class="swatch tick-refused"></span> {t.legend_refused}
                <span class="swatch tick-accepted_after_revocation"></span> {t.legend_after_revocation}
                <span class="legend-mark">"A"</span> {t.legend_admin}
                <span class="legend-mark">"●"</span> {t.legend_refreshed}
            </figcaption>
        </figure>
    }
}
