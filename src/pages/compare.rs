//! `/compare`: both modes side by side, filled from this server's live
//! figures and refreshed every few seconds without a reload.

use crate::{
    components::{error_note::ErrorNote, mode_badge::ModeBadge},
    error::AppError,
    i18n::{use_messages, Messages},
    model::{
        compare::{
            flow_path, BenchResults, CompareView, FlowNode, ModeFigures, Passage, Percentiles, SameRequest, StoredKind,
        },
        AuthMode, CurrentUser, DecodedJwt, HeldCookie, Role,
    },
};
use leptos::prelude::*;
use leptos_router::components::A;
use std::time::Duration;

/// How often the page asks again: each ask is itself a request of the
/// viewer's mode, so the diagram follows it (a transparent refresh too).
const POLL: Duration = Duration::from_secs(3);

#[server(prefix = "/rpc", endpoint = "compare")]
pub async fn get_compare() -> Result<CompareView, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let result = crate::services::compare::compare_view(&ctx.state, &ctx.auth(), &ctx.parts.headers).await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "compare_bench")]
pub async fn get_bench() -> Result<Option<BenchResults>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    Ok(crate::services::compare::bench_results(&ctx.state).await)
}

/// Runs `fetch` every `every`, in the browser only, while the page lives.
pub fn poll_every<F, Fut>(every: Duration, fetch: F)
where
    F: Fn() -> Fut + Clone + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    Effect::new(move |_| {
        let fetch = fetch.clone();
        if let Ok(handle) = set_interval_with_handle(move || leptos::task::spawn_local(fetch()), every) {
            on_cleanup(move || handle.clear());
        }
    });
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let t = use_messages();
    let first = Resource::new_blocking(|| (), |_| get_compare());
    view! {
        <section class="compare" data-testid="compare">
            <h1>{t.compare_title}</h1>
            <p class="lead">{t.compare_lead}</p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(initial) => view! { <LiveCompare initial/> }.into_any(),
                        Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                    }
                })}
            </Suspense>
            <crate::pages::cluster::SeveralServers/>
            <UnderLoad/>
        </section>
    }
}

/// The figures, asked again every few seconds. Each part re-renders only
/// when what it shows changed, so a link or an opened `<details>` keeps
/// its focus and state between asks.
#[component]
fn LiveCompare(initial: CompareView) -> impl IntoView {
    let data = RwSignal::new(initial);
    poll_every(POLL, move || async move {
        if let Ok(fresh) = get_compare().await {
            data.set(fresh);
        }
    });
    view! { <CompareBody data/> }.into_any()
}

#[component]
fn CompareBody(data: RwSignal<CompareView>) -> impl IntoView {
    let t = use_messages();
    let viewer = Memo::new(move |_| data.with(|data| data.viewer.clone()));
    let method = move || data.with(|data| (t.compare_method)(data.samples_kept, data.now - data.samples_since));
    let wire = Memo::new(move |_| data.with(|data| wire_summary(t, data)));
    let trade_offs = Memo::new(move |_| data.with(|data| trade_off_rows(t, data)));
    view! {
        {move || viewer_line(viewer.get())}
        <div class="compare-columns">
            <ModeColumn data mode=AuthMode::Session/>
            <ModeColumn data mode=AuthMode::Jwt/>
        </div>
        {move || view! { <WireSummary wire=wire.get()/> }.into_any()}
        {move || view! { <TradeOffs rows=trade_offs.get()/> }.into_any()}
        <p class="hint" data-testid="compare-method">{method}</p>
    }
}

fn viewer_line(viewer: Option<CurrentUser>) -> AnyView {
    let t = use_messages();
    match &viewer {
        Some(viewer) => view! {
            <p data-testid="compare-viewer" data-mode=viewer.mode.as_str()>
                {(t.compare_viewer)(t.mode_label(viewer.mode))}
                {(viewer.role == Role::Admin).then(|| view! {
                    " " <A href="/compare/race" attr:data-testid="race-link">{t.race_link}</A>
                })}
            </p>
        }
        .into_any(),
        None => view! {
            <p data-testid="compare-viewer" data-mode="">
                {t.compare_anonymous} " " <A href="/login?next=/compare">{t.nav_login}</A>
            </p>
        }
        .into_any(),
    }
}

fn figures_of(data: &CompareView, mode: AuthMode) -> &ModeFigures {
    match mode {
        AuthMode::Session => &data.session,
        AuthMode::Jwt => &data.token,
    }
}

/// Whether a cookie of this browser is one of `mode`'s credentials.
fn belongs_to(cookie: &HeldCookie, mode: AuthMode) -> bool {
    let names: &[&str] = match mode {
        AuthMode::Session => &["authlab_sid"],
        AuthMode::Jwt => &["authlab_at", "authlab_rt"],
    };
    names.iter().any(|name| cookie.name.ends_with(name))
}

#[component]
fn ModeColumn(data: RwSignal<CompareView>, mode: AuthMode) -> impl IntoView {
    let flow = Memo::new(move |_| {
        data.with(|data| {
            let figures = figures_of(data, mode);
            let path = figures.latest.as_ref().map(flow_path).unwrap_or_default();
            (path, data.facts.strict_revocation, figures.latest_is_viewers)
        })
    });
    let held = Memo::new(move |_| {
        data.with(|data| {
            let cookies: Vec<HeldCookie> = data
                .browser_cookies
                .iter()
                .filter(|cookie| belongs_to(cookie, mode))
                .cloned()
                .collect();
            // The countdown is /me's; here it would redraw the token every ask.
            let jwt = data
                .jwt
                .clone()
                .filter(|_| mode == AuthMode::Jwt)
                .map(|jwt| DecodedJwt {
                    seconds_until_exp: 0,
                    ..jwt
                });
            (cookies, jwt)
        })
    });
    let stored = Memo::new(move |_| {
        data.with(|data| ModeFigures {
            latest: None,
            check: None,
            strict_lookup: None,
            ..figures_of(data, mode).clone()
        })
    });
    let figures = move || data.with(|data| figures_of(data, mode).clone());
    view! {
        <article class=format!("card compare-column mode-{}", mode.as_str()) data-testid="compare-column" data-mode=mode.as_str()>
            <h2><ModeBadge mode/></h2>
            {move || {
                let (path, strict, yours) = flow.get();
                view! { <FlowDiagram mode path strict yours/> }.into_any()
            }}
            {move || {
                let (cookies, jwt) = held.get();
                view! { <BrowserHolds mode cookies jwt/> }.into_any()
            }}
            {move || view! { <ServerStores figures=stored.get()/> }.into_any()}
            {move || view! { <LatestRequest figures=figures()/> }.into_any()}
            {move || view! { <CheckCost figures=figures()/> }.into_any()}
        </article>
    }
}

/// The mode's flow as boxes and arrows; the boxes the latest request went
/// through are filled (red where it was refused).
#[component]
fn FlowDiagram(mode: AuthMode, path: Vec<(FlowNode, Passage)>, strict: bool, yours: bool) -> impl IntoView {
    let t = use_messages();
    const WIDTH: i32 = 320;
    const BOX_HEIGHT: i32 = 46;
    const GAP: i32 = 16;
    let nodes = FlowNode::of(mode);
    let height = nodes.len() as i32 * (BOX_HEIGHT + GAP) - GAP + 4;
    let arrow_id = format!("arrow-{}", mode.as_str());
    let title_id = format!("flow-title-{}", mode.as_str());
    let passage_of = |node: FlowNode| path.iter().find(|(seen, _)| *seen == node).map(|(_, passage)| *passage);
    let walked = path
        .iter()
        .map(|(node, passage)| {
            let name = (t.flow_title)(mode, *node);
            match passage {
                Passage::Passed => name.to_owned(),
                Passage::Refused => format!("{name} ({})", t.flow_refused),
            }
        })
        .collect::<Vec<_>>()
        .join(" → ");
    let description = if path.is_empty() {
        t.flow_no_request.to_owned()
    } else {
        (t.flow_walked)(yours, &walked)
    };
    let boxes = nodes
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let y = 2 + index as i32 * (BOX_HEIGHT + GAP);
            let passage = passage_of(*node);
            let optional = matches!(node, FlowNode::StrictLookup | FlowNode::Refresh)
                && !(*node == FlowNode::StrictLookup && strict);
            let class = match passage {
                Some(Passage::Passed) => "flow-box hit",
                Some(Passage::Refused) => "flow-box refused",
                None if optional => "flow-box optional",
                None => "flow-box",
            };
            let arrow = (index + 1 < nodes.len()).then(|| {
                view! {
                    <line
                        x1=WIDTH / 2
                        y1=y + BOX_HEIGHT
                        x2=WIDTH / 2
                        y2=y + BOX_HEIGHT + GAP - 2
                        class="flow-arrow"
                        marker-end=format!("url(#{arrow_id})")
                    />
                }
            });
            view! {
                <g
                    data-testid="flow-node"
                    data-node=node.as_str()
                    data-passage=match passage {
                        Some(Passage::Passed) => "passed",
                        Some(Passage::Refused) => "refused",
                        None => "",
                    }
                >
                    <rect x="2" y=y width=WIDTH - 4 height=BOX_HEIGHT rx="8" class=class/>
                    <text x="14" y=y + 19 class="flow-title">{(t.flow_title)(mode, *node)}</text>
                    <text x="14" y=y + 37 class="flow-detail">{(t.flow_detail)(mode, *node)}</text>
                </g>
                {arrow}
            }
        })
        .collect_view();
    view! {
        <figure class="flow">
            <svg
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-labelledby=title_id.clone()
                data-testid="flow-diagram"
                data-mode=mode.as_str()
            >
                <title id=title_id.clone()>{(t.flow_label)(t.mode_label(mode))} " " {description.clone()}</title>
                <defs>
                    <marker id=arrow_id.clone() viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                        <path d="M0,0 L10,5 L0,10 z" class="flow-arrowhead"/>
                    </marker>
                </defs>
                {boxes}
            </svg>
            <figcaption data-testid="flow-caption">{description}</figcaption>
        </figure>
    }
}

#[component]
fn BrowserHolds(mode: AuthMode, cookies: Vec<HeldCookie>, jwt: Option<DecodedJwt>) -> impl IntoView {
    let t = use_messages();
    let body = if cookies.is_empty() {
        view! {
            <p class="notice" data-testid="holds-nothing">
                {(t.holds_nothing)(t.mode_label(mode))} " "
                <a href=format!("/login?mode={}&next=/compare", mode.as_str())>{t.nav_login}</a>
            </p>
        }
        .into_any()
    } else {
        let total: usize = cookies.iter().map(|cookie| cookie.bytes).sum();
        view! {
            <table>
                <thead><tr><th>{t.cookie}</th><th class="num">{t.bytes}</th></tr></thead>
                <tbody>
                    {cookies
                        .into_iter()
                        .map(|cookie| view! {
                            <tr data-testid="compare-cookie" data-name=cookie.name.clone() data-bytes=cookie.bytes>
                                <td><code>{cookie.name.clone()}</code></td>
                                <td class="num">{cookie.bytes}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="hint">{(t.cookie_total)(total)} " " {t.all_http_only}</p>
        }
        .into_any()
    };
    view! {
        <h3>{t.browser_holds}</h3>
        {body}
        {jwt.map(|jwt| view! {
            <p data-testid="compare-jwt-parts" data-bytes=jwt.token_bytes>
                {(t.jwt_parts)(jwt.part_bytes[0], jwt.part_bytes[1], jwt.part_bytes[2])}
            </p>
            <p class="notice warn">{t.base64_not_encryption}</p>
            <details open>
                <summary>{t.token_decoded}</summary>
                <h4>{t.jwt_header}</h4>
                <pre data-testid="compare-jwt-header">{jwt.header_json}</pre>
                <h4>{t.jwt_payload}</h4>
                <pre data-testid="compare-jwt-payload">{jwt.payload_json}</pre>
            </details>
        })}
    }
}

#[component]
fn ServerStores(figures: ModeFigures) -> impl IntoView {
    let t = use_messages();
    let per_login = figures.bytes_per_login();
    view! {
        <h3 id=format!("stored-{}", figures.mode.as_str())>{t.server_stores}</h3>
        <table data-testid="stored" data-mode=figures.mode.as_str() data-logins=figures.live_logins data-bytes=figures.stored_bytes()>
            <thead><tr><th>{t.stored_what}</th><th class="num">{t.rows}</th><th class="num">{t.bytes}</th></tr></thead>
            <tbody>
                {figures
                    .stored
                    .iter()
                    .map(|rows| view! {
                        <tr data-testid="stored-row" data-kind=stored_kind(rows.kind) data-rows=rows.rows data-bytes=rows.bytes>
                            <td>{(t.stored_kind)(rows.kind)}</td>
                            <td class="num">{rows.rows}</td>
                            <td class="num">{rows.bytes}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
        <p data-testid="per-login" data-bytes=per_login.unwrap_or(0)>
            {match (figures.live_logins, per_login) {
                (0, None) => t.no_live_logins.to_owned(),
                (live, bytes) => (t.per_login)(live, bytes.unwrap_or(0)),
            }}
        </p>
        <p class="hint">{(t.stored_note)(figures.mode)}</p>
    }
}

fn stored_kind(kind: StoredKind) -> &'static str {
    match kind {
        StoredKind::SessionRecords => "session_records",
        StoredKind::SessionIndex => "session_index",
        StoredKind::RefreshFamilies => "refresh_families",
        StoredKind::RefreshTokens => "refresh_tokens",
    }
}

#[component]
fn LatestRequest(figures: ModeFigures) -> impl IntoView {
    let t = use_messages();
    let body = match &figures.latest {
        Some(trace) => view! {
            <p
                data-testid="latest-request"
                data-mode=figures.mode.as_str()
                data-yours=figures.latest_is_viewers.to_string()
                data-credential-bytes=trace.credential_header_bytes
                data-header-bytes=trace.request_header_bytes
            >
                {(t.latest_request)(figures.latest_is_viewers, &trace.request)} " "
                {(t.wire_bytes)(trace.credential_header_bytes, trace.request_header_bytes)}
            </p>
        }
        .into_any(),
        None => {
            view! { <p data-testid="latest-request" data-mode=figures.mode.as_str()>{t.no_request_yet}</p> }.into_any()
        }
    };
    view! {
        <h3>{t.on_the_wire}</h3>
        {body}
    }
}

#[component]
fn CheckCost(figures: ModeFigures) -> impl IntoView {
    let t = use_messages();
    let line = |label: &'static str, cost: Option<Percentiles>, testid: &'static str| match cost {
        Some(cost) => view! {
            <p data-testid=testid data-median=cost.median_micros data-p95=cost.p95_micros data-samples=cost.samples>
                {label} ": " {(t.percentiles)(cost.median_micros, cost.p95_micros, cost.samples)}
            </p>
        }
        .into_any(),
        None => view! { <p data-testid=testid>{label} ": " {t.no_request_yet}</p> }.into_any(),
    };
    let strict = (figures.mode == AuthMode::Jwt && figures.strict_lookup.is_some())
        .then(|| line(t.strict_lookup_cost, figures.strict_lookup, "strict-cost"));
    view! {
        <h3>{t.check_cost}</h3>
        {line(t.auth_layer_cost, figures.check, "check-cost")}
        {strict}
    }
}

/// The "a JWT adds traffic" claim, checked against the latest request of
/// each mode: `(ratio text, reason, header ratio, credential ratio)`.
fn wire_summary(t: &Messages, data: &CompareView) -> Option<(String, String, String, String)> {
    let same = data.same_request.as_ref()?;
    let (headers, credential) = same.ratios();
    Some((
        (t.wire_ratio)(same, headers, credential),
        wire_reason(t, data, same),
        format!("{headers:.2}"),
        format!("{credential:.2}"),
    ))
}

#[component]
fn WireSummary(wire: Option<(String, String, String, String)>) -> impl IntoView {
    let t = use_messages();
    let body = match wire {
        Some((text, reason, headers, credential)) => view! {
            <p data-testid="wire-ratio" data-header-ratio=headers data-credential-ratio=credential>{text}</p>
            <p>{reason}</p>
        }
        .into_any(),
        None => view! { <p data-testid="wire-ratio">{t.wire_needs_both}</p> }.into_any(),
    };
    view! {
        <article class="card" id="wire">
            <h2>{t.wire_title}</h2>
            {body}
        </article>
    }
}

/// Why the JWT request is larger, from what this browser holds when it
/// holds a token (claims, signature, the refresh cookie beside it).
fn wire_reason(t: &Messages, data: &CompareView, same: &SameRequest) -> String {
    match &data.jwt {
        Some(token) => {
            let refresh: usize = data
                .browser_cookies
                .iter()
                .filter(|cookie| cookie.name.ends_with("authlab_rt"))
                .map(|cookie| cookie.bytes)
                .sum();
            (t.wire_reason_measured)(token.part_bytes[1], token.part_bytes[2], refresh)
        }
        None => (t.wire_reason_general)(same.jwt_credential_bytes),
    }
}

/// One row of the trade-off table: key, session cell, JWT cell, where this
/// server shows it, and the Lab experiment that tests it (if one does).
type TradeOff = (&'static str, String, String, &'static str, Option<&'static str>);

fn trade_off_rows(t: &Messages, data: &CompareView) -> Vec<TradeOff> {
    let facts = &data.facts;
    let bytes = |mode| {
        figures_of(data, mode)
            .latest
            .as_ref()
            .map(|trace| trace.credential_header_bytes)
    };
    let per_login = |mode| figures_of(data, mode).bytes_per_login();
    let is_admin = data.viewer.as_ref().is_some_and(|viewer| viewer.role == Role::Admin);
    let race_or_admin = if is_admin { "/compare/race" } else { "/admin" };
    vec![
        (
            "size",
            (t.trade_size)(AuthMode::Session, bytes(AuthMode::Session)),
            (t.trade_size)(AuthMode::Jwt, bytes(AuthMode::Jwt)),
            "#wire",
            None,
        ),
        (
            "state",
            (t.trade_state)(AuthMode::Session, per_login(AuthMode::Session), &facts.session_store),
            (t.trade_state)(AuthMode::Jwt, per_login(AuthMode::Jwt), &facts.session_store),
            "#stored-session",
            None,
        ),
        (
            "forced_logout",
            (t.trade_logout)(AuthMode::Session, facts),
            (t.trade_logout)(AuthMode::Jwt, facts),
            race_or_admin,
            Some("/lab#propagation-forced_logout"),
        ),
        (
            "role_change",
            (t.trade_role)(AuthMode::Session, facts),
            (t.trade_role)(AuthMode::Jwt, facts),
            race_or_admin,
            Some("/lab#propagation-role_change"),
        ),
        (
            "servers",
            (t.trade_servers)(AuthMode::Session, facts),
            (t.trade_servers)(AuthMode::Jwt, facts),
            "#stored-jwt",
            None,
        ),
        (
            "login_limit",
            (t.trade_limit)(facts.max_logins_per_user),
            (t.trade_limit)(facts.max_logins_per_user),
            "/me",
            None,
        ),
        (
            "csrf",
            t.trade_csrf.0.to_owned(),
            t.trade_csrf.1.to_owned(),
            "/me",
            Some("/lab#csrf"),
        ),
        (
            "xss",
            t.trade_xss.0.to_owned(),
            t.trade_xss.1.to_owned(),
            "/me",
            Some("/lab#script-read"),
        ),
    ]
}

#[component]
fn TradeOffs(rows: Vec<TradeOff>) -> impl IntoView {
    let t = use_messages();
    view! {
        <article class="card" id="trade-offs">
            <h2>{t.trade_title}</h2>
            <div class="scroll" tabindex="0" role="region" aria-label=t.trade_title>
                <table data-testid="trade-offs">
                    <thead>
                        <tr>
                            <th scope="col">{t.trade_question}</th>
                            <th scope="col"><ModeBadge mode=AuthMode::Session/></th>
                            <th scope="col"><ModeBadge mode=AuthMode::Jwt/></th>
                            <th scope="col">{t.trade_see}</th>
                            <th scope="col">{t.trade_experiment}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(key, session, jwt, link, experiment)| view! {
                                <tr data-testid="trade-row" data-row=key>
                                    <th scope="row">{(t.trade_row)(key)}</th>
                                    <td data-mode="session">{session}</td>
                                    <td data-mode="jwt">{jwt}</td>
                                    <td><a href=link>{(t.trade_link)(link)}</a></td>
                                    <td>
                                        {match experiment {
                                            Some(experiment) => view! {
                                                <a href=experiment data-testid="trade-experiment">{t.trade_run_it}</a>
                                            }.into_any(),
                                            None => "—".into_any(),
                                        }}
                                    </td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </article>
    }
}

/// The latest `make bench` run: each path's req/s, p99 and share of the
/// ceiling, and what many logins of each mode left in memory and storage.
#[component]
fn UnderLoad() -> impl IntoView {
    let t = use_messages();
    let bench = Resource::new_blocking(|| (), |_| get_bench());
    view! {
        <article class="card" id="under-load" data-testid="under-load">
            <h2>{t.bench_title}</h2>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match bench.await {
                        Ok(Some(results)) => view! { <BenchTables results/> }.into_any(),
                        Ok(None) => view! { <p data-testid="bench-missing">{t.bench_missing}</p> }.into_any(),
                        Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </article>
    }
}

#[component]
fn BenchTables(results: BenchResults) -> impl IntoView {
    let t = use_messages();
    let ceiling = results.ceiling();
    let share = move |rps: f64| ceiling.map(|ceiling| (100.0 * rps / ceiling).round() as u32);
    let lead = (t.bench_lead)(
        &results.date,
        &results.commit,
        results.cores,
        &results.cpu,
        results.connections,
        results.rounds,
        &results.duration,
    );
    let thousands = |value: f64| crate::i18n::thousands(value.round() as i64);
    view! {
        <p>{lead}</p>
        <div class="scroll" tabindex="0" role="region" aria-label=t.bench_title>
            <table data-testid="bench-paths" class="bench">
                <thead>
                    <tr>
                        <th scope="col">{t.bench_path}</th>
                        <th scope="col" class="num">{t.bench_rps}</th>
                        <th scope="col" class="num">"p99"</th>
                        <th scope="col">{t.bench_share}</th>
                    </tr>
                </thead>
                <tbody>
                    {results.paths.iter().map(|path| {
                        let percent = share(path.rps);
                        view! {
                            <tr data-testid="bench-path" data-key=path.key.clone()>
                                <th scope="row">
                                    {(t.bench_path_label)(&path.key)}
                                    <code class="bench-route">{without_hash(&path.path)}</code>
                                </th>
                                <td class="num">{thousands(path.rps)}</td>
                                <td class="num">{format!("{:.1} ms", path.p99_ms)}</td>
                                <td>
                                    {percent.map(|percent| view! {
                                        <span class="share">
                                            <meter min="0" max="100" value=percent.min(100).to_string() aria-hidden="true"></meter>
                                            <span class="share-text">{format!("{percent}%")}</span>
                                        </span>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="scroll" tabindex="0" role="region" aria-label=t.bench_state_title>
            <table data-testid="bench-logins" class="bench">
                <caption>{t.bench_state_title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.bench_mode}</th>
                        <th scope="col" class="num">{t.bench_header_bytes}</th>
                        <th scope="col" class="num">{t.bench_rss_per_login}</th>
                        <th scope="col" class="num">{t.bench_stored_per_login}</th>
                        <th scope="col" class="num">{t.bench_logins_per_second}</th>
                    </tr>
                </thead>
                <tbody>
                    {results.logins.iter().map(|row| {
                        let header = match row.mode {
                            AuthMode::Session => results.session_header_bytes,
                            AuthMode::Jwt => results.jwt_header_bytes,
                        };
                        let rss_per_login = row.rss_growth_kb * 1024 / row.logins.max(1) as i64;
                        view! {
                            <tr data-testid="bench-login" data-mode=row.mode.as_str()>
                                <th scope="row"><ModeBadge mode=row.mode/></th>
                                <td class="num">{format!("{header} B")}</td>
                                <td class="num">{format!("{} B", thousands(rss_per_login as f64))}</td>
                                <td class="num">{format!("{} B", thousands(row.bytes_per_login as f64))}</td>
                                <td class="num">{thousands(row.logins_per_second)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">
            {(t.bench_footer)(
                &thousands(results.logins.first().map_or(0, |row| row.logins) as f64),
                &thousands(results.logins.first().map_or(0, |row| row.rate_logins) as f64),
                results.first_visit_bytes / 1024,
                results.rss_idle_kb / 1024,
            )}
        </p>
    }
}

/// `/pkg/authlab.<hash>.css` for a build file's hashed name: the hash
/// changes with every build and would only widen the table.
fn without_hash(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [name, hash, extension] if hash.len() >= 8 => format!("{name}.<hash>.{extension}"),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_hash;

    #[test]
    fn a_hashed_build_file_is_named_without_its_hash() {
        assert_eq!(
            without_hash("/pkg/authlab.KDTRNnSUIYIwM7lf1pOVDA.css"),
            "/pkg/authlab.<hash>.css"
        );
        assert_eq!(without_hash("/api/me"), "/api/me");
        assert_eq!(without_hash("/pkg/authlab.css"), "/pkg/authlab.css");
    }
}
