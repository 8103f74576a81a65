//! English.

use super::{Basics, GuideText, Messages};
use crate::{
    error::AppError,
    model::{
        compare::{FlowNode, StoredKind},
        guide::GuideStep,
        lab::{Flaw, Propagation, Replay, TokenCheck},
        race::{RaceAction, RaceStop, TickOutcome},
        AuditDetail, AuditEvent, AuthMode, BadInput, ClientSummary, Denial, DeniedBecause, RefreshFailure,
        RefreshProblem, Refusal, RevokedCounts, Role, Settings, Step, TokenRejection,
    },
};

pub(super) static EN_BASICS: Basics = Basics {
    language_name: "English",
    switch_language: "Language",
    not_found: "Not found",
    never: "never",
    mode_session: "Session",
    role: |role| match role {
        Role::User => "user",
        Role::Admin => "admin",
    },
    username: "Username",
    password: "Password",
    error,
    client: |summary| match summary {
        ClientSummary::Browser {
            browser,
            system: Some(system),
        } => format!("{browser} on {system}"),
        ClientSummary::Browser { browser, system: None } => browser.clone(),
        ClientSummary::Other(product) => product.clone(),
        ClientSummary::Unknown => "unknown client".into(),
    },

    nav_main: "Main",
    nav_me: "My page",
    nav_board: "Board",
    nav_admin: "Admin",
    nav_compare: "Compare",
    nav_lab: "Lab",
    nav_signup: "Sign up",
    nav_login: "Log in",
    nav_logout: "Log out",
    revoked_banner_before: "The server revoked this login, but your token is still valid for ",
    revoked_banner_after: " s: the server cannot recall it. It stores nothing for an access token, so it accepts \
        the signature until the token expires, plus 5 s it forgives for clocks that differ between servers; then the \
        refresh fails and you are logged out. (The server looked the login up only to tell you this; strict \
        revocation would refuse the token.)",

    home_lead: "Log in with a server-side session or with a JWT, then use the very same pages, and watch on real \
        requests what the browser holds, what the server stores, and how the server knew who you are.",
    home_session_text: "The browser holds an opaque id in an HttpOnly cookie. The server keeps one record per login \
        and looks it up on every request, so logging out or revoking takes effect at once.",
    home_jwt_text: "The browser holds a signed token whose payload anyone can read. The server checks the signature \
        and the claims without a lookup, and keeps only the refresh token's row: an access token lives until it \
        expires.",
    home_login_session: "Log in with a session",
    home_login_jwt: "Log in with a JWT",
    demo_accounts: "Demo accounts",

    login_title: "Log in",
    logged_out: "You are logged out.",
    mode_question: "How should the server remember you?",
    mode_session_hint: "an opaque id in a cookie; the record stays on the server",
    mode_jwt_hint: "a signed token in a cookie; the server keeps only the refresh token",
    login_button: "Log in",
    demo_accounts_hint: "Demo accounts: alice / alice-password, bob / bob-password, admin / admin-password.",
    signup_title: "Sign up",
    username_rules: "3–32 letters, digits, _ or -; unique regardless of case.",
    password_rules: "8–128 characters, any script, used exactly as typed.",
    then_log_in_with: "Then log in with",
    create_account: "Create account",
    me_role: "Role",
    nav_guide: "Guide",
    home_study: "Studying in a group? Start with the hour-long guide, predict and run the experiments in the Lab, and \
        watch both modes side by side on Compare:",
    nav_instance: |name| format!("instance {name}"),
    nav_instance_hint: "The server behind the load balancer that answered this page's last request",
};

pub(super) static EN: Messages = Messages {
    basics: &EN_BASICS,

    loading: "Loading…",
    unknown: "unknown",
    seconds: |n| format!("{n} s"),
    user: "User",
    mode: "Mode",
    save: "Save",

    me_you_are: ("You are ", ""),
    refresh_now: "Refresh the token now",
    token_says: |token, database| format!("Token says {token}, database says {database}."),
    role_claim_explained: |seconds| {
        format!(
            "A JWT carries the role as a signed claim, and the server trusts that claim without looking anything \
             up: that is what makes it stateless. So the old role holds until the token is re-issued, at the next \
             refresh (this token expires in {seconds} s)."
        )
    },
    browser_holds: "What your browser holds",
    cookie: "Cookie",
    bytes: "Bytes",
    all_http_only: "All of them HttpOnly: page scripts cannot read them, the browser sends them.",
    token_decoded: "The access token, decoded",
    token_readable: |bytes| format!("Anyone holding these {bytes} bytes can read this: it is signed, not encrypted."),
    token_expires_in: ("It expires in ", " s."),
    jwt_header: "Header",
    jwt_payload: "Payload",
    server_stores: "What the server stores",
    session_record_in: |store, prefix| {
        format!("One session record in {store}, keyed by the id in your cookie ({prefix}…).")
    },
    session_ends: |idle, absolute| format!("Ends after {idle} s without activity, and in any case in {absolute} s."),
    nothing_for_access_token: "Nothing for the access token.",
    signature_alone: " The server verifies it by its signature alone.",
    refresh_family_row: "One row for your refresh-token family (only hashes of the tokens are stored):",
    family: "Family",
    tokens_issued: "Tokens issued so far",
    expires_in: "Expires in",
    ip: "IP",
    user_agent: "User agent",
    no_live_family: "No live refresh-token family: this token can no longer be refreshed.",
    trace_title: "How the server knew: ",
    step,
    trace_summary: |bytes, micros| format!("Credential headers: {bytes} bytes. Resolution took {micros} µs."),
    needed_state: "This request needed the server's own state.",
    needed_no_state: "This request needed no server state: the signature was enough.",

    my_devices: "My devices",
    logout_others: "Log out everywhere else",
    devices_hint: "Every live login of yours. A session is a record the server can delete; a JWT login is a \
        refresh-token family the server can revoke, while the access token it last issued is nowhere on the server \
        and works until it expires.",
    revoke: "Revoke",
    change_password: "Change password",
    change_password_hint: "Every other login of yours is revoked; this one stays, with a new session id in session \
        mode.",
    current_password: "Current password",
    new_password: "New password (8 to 128 characters)",
    my_activity: "My activity",
    my_activity_hint: "Logins, logouts, refreshes, revocations and denied requests of yours, newest first.",

    no_logins: "No live logins.",
    this_browser: "this browser",
    server_holds: |mode| match mode {
        AuthMode::Session => "a session record",
        AuthMode::Jwt => "a refresh family; access tokens are not stored",
    },
    logged_in_at: "Logged in",
    last_seen: "Last seen",
    expires: "Expires",
    from: "From",
    revoked_summary: |revoked, sessions, families| {
        format!(
            "{revoked} login(s) revoked: {sessions} session record(s) deleted, which ends them at once; {families} \
             refresh family(ies) revoked, so their next refresh fails."
        )
    },
    tokens_live_on: |seconds| {
        format!(
            "Their access tokens are not on the server and cannot be recalled: they stay valid for up to {seconds} \
             s (their expiry plus the 5 s forgiven for clocks that differ between servers). Strict revocation would \
             refuse them now."
        )
    },

    nothing_recorded: "Nothing recorded yet.",
    repeats_title: "identical requests in a row; the time is the latest",
    when: "When",
    event: "Event",
    outcome: "Outcome",
    detail: "Detail",
    audit_event: |name| {
        match AuditEvent::parse(name) {
            Some(AuditEvent::Login) => "login",
            Some(AuditEvent::Logout) => "logout",
            Some(AuditEvent::Refresh) => "refresh",
            Some(AuditEvent::RefreshReuse) => "refresh token reused",
            Some(AuditEvent::ForcedLogout) => "forced logout",
            Some(AuditEvent::LoginRevoked) => "login revoked",
            Some(AuditEvent::LogoutOthers) => "logged out elsewhere",
            Some(AuditEvent::LoginLimit) => "login limit",
            Some(AuditEvent::PasswordChange) => "password change",
            Some(AuditEvent::RoleChange) => "role change",
            Some(AuditEvent::Denied) => "denied",
            Some(AuditEvent::SettingsChanged) => "settings changed",
            None => name,
        }
        .to_owned()
    },
    audit_outcome: |outcome| {
        match outcome {
            "ok" => "ok",
            "failed" => "failed",
            "denied" => "denied",
            other => other,
        }
        .to_owned()
    },
    audit_detail,

    admin_title: "Admin console",
    forced_logout_of: |username| format!("Forced logout of {username}"),
    admins_only: "403 — admins only",
    admins_only_text: "You are logged in, so this is not a question of who you are (that would be 401) but of what \
        you may do: the admin console needs the admin role.",
    posts: "Posts",
    last_login: "Last login",
    make_role: |role| match role {
        Role::User => "Make user",
        Role::Admin => "Make admin",
    },
    force_logout: "Force logout",
    revocation_settings: "Revocation settings",
    strict_is: |on| ("Strict revocation is ", if on { "on" } else { "off" }),
    turn_strict: |on| if on { "Turn it on" } else { "Turn it off" },
    strict_hint: "Off: a JWT is checked by its signature alone, so after a forced logout the victim's access token \
        works until it expires. On: every JWT request also looks its login up (one query, shown in the trace on \
        /me), so revocation is immediate, at the price of server state on every request, which is what sessions do \
        anyway.",
    login_limit_label: "Live logins per user (0: no limit) ",
    login_limit_hint: "A login past the limit revokes the oldest. Sessions are counted as records; JWT logins only \
        through their refresh families, since a stateless token alone cannot be counted, and an evicted JWT's \
        access token lives on until it expires.",
    live_logins: "Live logins",
    audit_trail: "Audit trail",
    any: "any",
    filter: "Filter",

    board_title: "Board",
    board_hint: "Everyone logged in reads every post. You edit and delete your own; an admin may delete any post, \
        but edit only their own. The server checks this on every request.",
    new_post: "New post",
    post_button: "Post",
    no_posts: "No posts yet.",
    edited: " (edited)",
    edit: "Edit",
    delete: "Delete",

    compare_title: "Session vs JWT, measured on this server",
    compare_lead: "Two columns, one per mode. Every figure comes from this running server: its own rows, and the \
        auth layer's trace of real requests. The page asks again every 3 seconds; each ask is itself a request in your \
        mode, so the diagram follows it.",
    compare_viewer: |mode| {
        format!("You are logged in by {mode}: the boxes your latest request went through are filled.")
    },
    compare_anonymous: "You are not logged in: the columns show other people's requests. Log in with either mode to \
        see your own.",
    race_link: "Open the race →",
    compare_method: |kept, seconds| {
        format!(
            "How these are measured: costs are the auth layer's own timing of the last {kept} requests per mode \
             (nearest-rank median and 95th percentile), collected since this server started {seconds} s ago. Bytes on \
             the wire are the request headers as HTTP/1.1 sends them (`name: value` and a line end). Stored bytes are \
             the stored values themselves, without the database's page and index overhead."
        )
    },
    flow_label: |mode| format!("How {mode} works, step by step."),
    flow_title: |mode, node| match (mode, node) {
        (_, FlowNode::Login) => "1. Log in",
        (AuthMode::Session, FlowNode::Issue) => "2. Server creates a record",
        (AuthMode::Jwt, FlowNode::Issue) => "2. Server signs a token",
        (AuthMode::Session, FlowNode::Store) => "3. Browser keeps the id",
        (AuthMode::Jwt, FlowNode::Store) => "3. Browser keeps both tokens",
        (_, FlowNode::Carry) => "4. Each request carries it",
        (AuthMode::Session, FlowNode::Check) => "5. Server looks it up",
        (AuthMode::Jwt, FlowNode::Check) => "5. Server checks the signature",
        (_, FlowNode::StrictLookup) => "5b. Strict revocation lookup",
        (_, FlowNode::Refresh) => "5c. Transparent refresh",
        (_, FlowNode::Revoke) => "6. Taking it back",
    },
    flow_detail: |mode, node| match (mode, node) {
        (_, FlowNode::Login) => "username + password, argon2id",
        (AuthMode::Session, FlowNode::Issue) => "a record in the store, a new id",
        (AuthMode::Jwt, FlowNode::Issue) => "HS256 access token + refresh row",
        (AuthMode::Session, FlowNode::Store) => "HttpOnly cookie authlab_sid",
        (AuthMode::Jwt, FlowNode::Store) => "HttpOnly authlab_at, authlab_rt",
        (AuthMode::Session, FlowNode::Carry) => "Cookie: authlab_sid=… (opaque)",
        (AuthMode::Jwt, FlowNode::Carry) => "authlab_at cookie or Bearer header",
        (AuthMode::Session, FlowNode::Check) => "store lookup + the user's row",
        (AuthMode::Jwt, FlowNode::Check) => "alg, exp, iss, aud: no lookup",
        (_, FlowNode::StrictLookup) => "is the login still live? (when on)",
        (_, FlowNode::Refresh) => "expired: spend the refresh token",
        (AuthMode::Session, FlowNode::Revoke) => "delete the record: 401 at once",
        (AuthMode::Jwt, FlowNode::Revoke) => "revoke the family: token lives on",
    },
    flow_refused: "refused",
    flow_no_request: "No request in this mode yet.",
    flow_walked: |yours, walked| {
        if yours {
            format!("Your latest request: {walked}.")
        } else {
            format!("The latest request in this mode (not yours): {walked}.")
        }
    },
    holds_nothing: |mode| format!("This browser holds no {mode} credential."),
    cookie_total: |bytes| format!("{bytes} bytes in all."),
    jwt_parts: |header, payload, signature| {
        format!("The token is three base64url parts: header {header} B, payload {payload} B, signature {signature} B.")
    },
    base64_not_encryption: "Anyone holding the token can read it: base64url is an encoding, not encryption. The \
        signature only proves that the server wrote it.",
    stored_what: "What",
    rows: "Rows",
    stored_kind: |kind| match kind {
        StoredKind::SessionRecords => "session records (store)",
        StoredKind::SessionIndex => "login index (session_logins)",
        StoredKind::RefreshFamilies => "refresh families",
        StoredKind::RefreshTokens => "refresh-token hashes",
    },
    per_login: |logins, bytes| {
        format!(
            "Live logins: {logins}. The server keeps {bytes} B per login (kept rows included), so about {} KB per \
             1,000 logins.",
            bytes * 1000 / 1024
        )
    },
    no_live_logins: "No live login in this mode right now.",
    stored_note: |mode| match mode {
        AuthMode::Session => "Every request reads the record. A logged-out session's record is deleted at once.",
        AuthMode::Jwt => {
            "Nothing for the access token. Revoked families and spent refresh tokens stay until they \
            expire, so that a replayed refresh token is recognised."
        }
    },
    on_the_wire: "Bytes on the wire",
    latest_request: |yours, request| {
        if yours {
            format!("Your latest request ({request}):")
        } else {
            format!("The latest request in this mode ({request}, not yours):")
        }
    },
    wire_bytes: |credential, headers| format!("credential headers {credential} B of {headers} B of headers."),
    no_request_yet: "no request in this mode yet.",
    check_cost: "What checking costs",
    auth_layer_cost: "The auth layer",
    strict_lookup_cost: "Strict revocation's lookup alone",
    percentiles: |median, p95, samples| format!("median {median} µs, p95 {p95} µs over {samples} requests"),
    wire_title: "Does a JWT add traffic?",
    wire_ratio: |same, headers, credential| {
        format!(
            "Measured on the latest {} of each mode: the JWT request sent {} B of headers, the session request {} B: \
             {headers:.2}×. The credentials alone: {} B against {} B: {credential:.2}×.",
            same.request,
            same.jwt_header_bytes,
            same.session_header_bytes,
            same.jwt_credential_bytes,
            same.session_credential_bytes
        )
    },
    wire_needs_both: "The ratio needs the same request made in each mode: open this page logged in each way (two \
        browsers), or start a race, whose clients both ask GET /api/me.",
    wire_reason_measured: |payload, signature, refresh| {
        format!(
            "Why: a session cookie is only an id; a JWT carries its claims ({payload} B of payload) and its signature \
             ({signature} B), and in this browser the refresh cookie ({refresh} B) rides along on every request too. \
             On a whole page load the body dwarfs both, so the claim of \"50% more traffic\" holds only for tiny API calls."
        )
    },
    wire_reason_general: |bytes| {
        format!(
            "Why: a session cookie is only an id; a JWT carries its claims and its signature ({bytes} B of credential \
             headers on that request), and a browser also sends its refresh cookie with every request."
        )
    },
    trade_title: "The trade-offs, as this server answers them",
    trade_question: "Question",
    trade_see: "See it",
    trade_experiment: "Experiment",
    trade_run_it: "Run it in the Lab",
    trade_row: |row| match row {
        "size" => "Credential size per request",
        "state" => "Where the state lives",
        "forced_logout" => "Forced logout",
        "role_change" => "Role change",
        "servers" => "Several servers",
        "login_limit" => "Limit concurrent logins",
        "csrf" => "CSRF exposure",
        "xss" => "XSS exposure",
        _ => "",
    },
    trade_link: |link| match link {
        "#wire" => "Bytes on the wire",
        "#stored-session" | "#stored-jwt" => "What the server stores",
        "/compare/race" => "The race",
        "/admin" => "Admin console",
        _ => "Your page",
    },
    trade_size: |_, bytes| match bytes {
        Some(bytes) => format!("{bytes} B on the latest request"),
        None => "not measured yet".into(),
    },
    trade_state: |mode, per_login, store| match (mode, per_login) {
        (AuthMode::Session, Some(bytes)) => format!("on the server ({store}): {bytes} B per login"),
        (AuthMode::Session, None) => format!("on the server ({store})"),
        (AuthMode::Jwt, Some(bytes)) => {
            format!("in the token; the server keeps refresh rows only: {bytes} B per login")
        }
        (AuthMode::Jwt, None) => "in the token; the server keeps refresh rows only".into(),
    },
    trade_logout: |mode, facts| match mode {
        AuthMode::Session => "at once: the record is deleted, the next request gets 401".into(),
        AuthMode::Jwt if facts.strict_revocation => {
            "at once, because strict revocation is on (a lookup on every request: state again)".into()
        }
        AuthMode::Jwt => format!(
            "up to {} s later: the access token lives until exp ({} s) plus the {} s leeway",
            facts.access_ttl + facts.leeway,
            facts.access_ttl,
            facts.leeway
        ),
    },
    trade_role: |mode, facts| match mode {
        AuthMode::Session => "on the next request: the role is read from the database".into(),
        AuthMode::Jwt => format!(
            "at the next refresh, up to {} s later: the role is a signed claim",
            facts.access_ttl + facts.leeway
        ),
    },
    trade_servers: |mode, facts| match mode {
        AuthMode::Session => format!("every server needs the same store (here: {})", facts.session_store),
        AuthMode::Jwt => {
            "any server with the key verifies; refresh and strict revocation need the shared database".into()
        }
    },
    trade_limit: |limit| match limit {
        0 => "off here; either way it counts server state (records or refresh families)".into(),
        limit => format!("{limit} per user here, counted from server state in both modes"),
    },
    trade_csrf: (
        "the cookie goes with every request: SameSite=Lax and the origin check stop cross-site posts",
        "the same in a browser (cookies here); a Bearer header is never sent by another site",
    ),
    trade_xss: (
        "HttpOnly: page script cannot read the id, but can act while the page is open",
        "HttpOnly here too; a token kept in localStorage would be readable by any script",
    ),

    race_title: "The race: session vs JWT, live",
    race_lead: |user, ttl, leeway| {
        format!(
            "Two demo clients inside this server, one logged in by session and one by JWT, both as {user}, send \
             GET /api/me to this server once a second, as real HTTP requests over loopback. Their access token lives {ttl} s (plus {leeway} s of \
             clock-skew leeway). Force a logout, change the role, and watch each stream react."
        )
    },
    race_admins_only: "Only an admin may start or steer a race.",
    race_controls: "Race controls",
    race_start: "Start the race",
    race_restart: "Restart the race",
    race_stop: "Stop",
    race_promote: "Promote to admin",
    race_demote: "Demote to user",
    race_strict: |on| {
        if on {
            "Strict revocation on"
        } else {
            "Strict revocation off"
        }
    },
    race_running: |seconds, max| {
        format!("Running for {seconds} s (it stops by itself after {max} s, or when nobody watches).")
    },
    race_stopped: |reason| match reason {
        RaceStop::ByPresenter => "Stopped.".into(),
        RaceStop::Unwatched => "Stopped: nobody was watching.".into(),
        RaceStop::TimeUp => "Stopped: it reached its longest run.".into(),
        RaceStop::Failed => "Stopped: the demo clients could not log in.".into(),
    },
    race_not_started: "No race yet: start one.",
    race_role_now: "Role in the database:",
    race_last_tick: |tick| {
        let what = match tick.outcome {
            TickOutcome::Accepted => "accepted",
            TickOutcome::Refused => "refused",
            TickOutcome::AcceptedAfterRevocation => "accepted although the login was revoked",
        };
        let role = tick.role.map(|role| format!(" as {role}")).unwrap_or_default();
        let error = tick
            .error
            .as_deref()
            .map(|code| format!(" ({code})"))
            .unwrap_or_default();
        let refreshed = if tick.refreshed { ", after a refresh" } else { "" };
        format!(
            "{} at {:.1} s: {what}{role}{error}{refreshed}",
            tick.status,
            tick.at_ms as f64 / 1000.0
        )
    },
    race_no_ticks: "no request yet",
    race_token_ends: "token refused from here",
    race_action: |action| match action {
        RaceAction::ForceLogout => "Force logout",
        RaceAction::Promote => "Promote",
        RaceAction::Demote => "Demote",
        RaceAction::StrictOn => "Strict on",
        RaceAction::StrictOff => "Strict off",
    },
    race_timeline_label: |session, jwt| {
        let count =
            |lane: &crate::model::race::RaceLane, outcome| lane.ticks.iter().filter(|t| t.outcome == outcome).count();
        format!(
            "Timeline. Session: {} accepted, {} refused. JWT: {} accepted, {} accepted after \
             revocation, {} refused.",
            count(session, TickOutcome::Accepted),
            count(session, TickOutcome::Refused),
            count(jwt, TickOutcome::Accepted),
            count(jwt, TickOutcome::AcceptedAfterRevocation),
            count(jwt, TickOutcome::Refused)
        )
    },
    legend_accepted: "200",
    legend_refused: "401",
    legend_after_revocation: "200 after revocation",
    legend_admin: "answered as admin",
    legend_refreshed: "after a refresh",
    race_reactions: "How long each stream took to notice",
    race_what: "Action",
    race_when: "At",
    race_after: |ms| format!("{:.1} s later", ms as f64 / 1000.0),
    race_at: |ms| format!("{:.1} s", ms as f64 / 1000.0),
    race_not_yet: "not yet",
    race_explained: |ttl, leeway| {
        format!(
            "Why: the session client's every request is looked up in the store, so a deleted record or a new role \
             shows on its next request. The JWT client's token carries its role and is checked by signature alone, so \
             it goes on being accepted until exp ({ttl} s after issue, plus {leeway} s forgiven for clock differences \
             between servers); then its refresh fails, or, after a promotion, brings a token with the new role. \
             Strict revocation adds the lookup back, and with it the server state."
        )
    },
    lab_title: "Lab: predict, run, see",
    lab_lead: "Each experiment sends real requests to this server and shows exactly what was sent and what came \
        back. Predict first, then run: your score stays in this browser.",
    lab_score: |right, total| format!("Right predictions: {right} of {total}"),
    lab_score_reset: "Start the score again",
    lab_naive_title: "Seven naive verifiers against this app's",
    lab_naive_lead: "Each attack forges a token that says role: admin. It is sent to a naive verifier, which guards \
        only a Lab page, and, with this app's own claims, to the real auth layer.",
    lab_predict_naive: "The naive verifier will…",
    lab_predict_real: "This app's verifier will…",
    lab_guess_let_in: "let it in",
    lab_guess_refuse: "refuse it",
    lab_run: "Run",
    lab_forged: "The forged token, as anyone can read it",
    lab_recovered: |secret, tried| format!("The dictionary attack found the secret \"{secret}\" after {tried} words."),
    lab_naive_side: "The naive verifier",
    lab_real_side: "This app",
    lab_let_in: "Let in as admin.",
    lab_refused: "Refused.",
    flaw_title: |flaw| match flaw {
        Flaw::DecodeOnly => "Decoding is not verifying",
        Flaw::AlgNone => "alg: none",
        Flaw::WeakSecret => "A secret from a dictionary",
        Flaw::EmbeddedJwk => "A key in the token's own jwk header",
        Flaw::Jku => "A key set the token points to (jku)",
        Flaw::KidPath => "kid as a file path",
        Flaw::AlgConfusion => "Algorithm confusion: RS256 key as HS256 secret",
    },
    flaw_claim: |flaw| match flaw {
        Flaw::DecodeOnly => {
            "A verifier that only decodes the payload accepts any payload: change role to admin, keep \
            the old signature."
        }
        Flaw::AlgNone => {
            "A verifier that lets the token name its algorithm accepts alg: none, a token with no \
            signature at all."
        }
        Flaw::WeakSecret => {
            "An HS256 secret that is a common word is found by trying a dictionary against one real \
            token; then anyone can sign."
        }
        Flaw::EmbeddedJwk => {
            "A verifier that takes the key from the token's jwk header verifies the attacker's \
            signature with the attacker's key."
        }
        Flaw::Jku => {
            "A verifier that fetches the key set named in the token's jku header fetches the attacker's \
            keys."
        }
        Flaw::KidPath => {
            "A verifier that reads the key from the file kid names can be pointed at an empty file: then \
            the key is empty, and known."
        }
        Flaw::AlgConfusion => {
            "A verifier that checks with its RSA public key in the algorithm the token names uses that \
            public key as an HMAC secret when the token says HS256."
        }
    },
    flaw_rule: |flaw| match flaw {
        Flaw::DecodeOnly | Flaw::WeakSecret => {
            "The rule: every token's signature is checked with a random secret of \
            at least 32 bytes (src/auth/jwt.rs, JwtKeys::validate)."
        }
        Flaw::AlgNone | Flaw::AlgConfusion => {
            "The rule: one fixed algorithm list, HS256 only; the token's alg is \
            never trusted (src/auth/jwt.rs, JwtKeys::rotated)."
        }
        Flaw::EmbeddedJwk | Flaw::Jku | Flaw::KidPath => {
            "The rule: no key ever comes from the token; kid may only \
            name one of this server's two keys, and jwk, jku and x5u are never followed (src/auth/jwt.rs, \
            JwtKeys::key_for)."
        }
    },
    flaw_lesson: |flaw| match flaw {
        Flaw::DecodeOnly => {
            "A JWT's payload is readable by anyone; only the signature makes it trustworthy. Code that \
            calls a decode function where it meant verify trusts whatever a client writes."
        }
        Flaw::AlgNone => {
            "The token is the attacker's input, and so is its header. A verifier must decide the \
            algorithm itself."
        }
        Flaw::WeakSecret => {
            "An HMAC secret is a password that can be tested offline, as fast as a machine can hash. \
            It must be random and long, not chosen by a person."
        }
        Flaw::EmbeddedJwk => {
            "A signature proves only that whoever holds the key signed. If the token brings the key, \
            it proves nothing."
        }
        Flaw::Jku => {
            "Fetching keys from a URL in the token lets the token choose whom to trust. This Lab fetches only \
            its own attacker key set, on loopback."
        }
        Flaw::KidPath => {
            "kid is attacker input used as a path. Here the Lab's fence keeps it in a sandbox folder; a \
            real server would read whatever file it is told."
        }
        Flaw::AlgConfusion => {
            "The public key is public. A verifier that lets the token pick HS256 turns it into a \
            shared secret the attacker already has."
        }
    },
    lab_checks_title: "What this app's verifier checks",
    lab_checks_lead: "Each token below is made from a real login of the Lab's user (lab.demo), then broken one way, \
        and sent to GET /api/me. The auth layer's own trace names the check that refused it.",
    lab_sent_token: "The token sent, as anyone can read it",
    lab_accepted: "Accepted.",
    check_title: |check| match check {
        TokenCheck::TamperedPayload => "role: admin, not re-signed",
        TokenCheck::AlgNone => "alg: none",
        TokenCheck::Hs512SameKey => "HS512 with this server's own key",
        TokenCheck::OtherKey => "Signed with another key",
        TokenCheck::Expired => "exp has passed",
        TokenCheck::NotYetValid => "nbf in the future",
        TokenCheck::RefreshAsAccess => "A refresh token used as an access token",
    },
    check_claim: |check| match check {
        TokenCheck::TamperedPayload => {
            "Change the payload's role to admin and keep the signature: does the server \
            notice?"
        }
        TokenCheck::AlgNone => "Say the token needs no signature at all.",
        TokenCheck::Hs512SameKey => "Sign with the right key, but under HS512 instead of HS256.",
        TokenCheck::OtherKey => "A well-formed token signed with a key this server never had.",
        TokenCheck::Expired => "A genuine token of this server whose exp passed a minute ago.",
        TokenCheck::NotYetValid => "A genuine token of this server that says: not valid before an hour from now.",
        TokenCheck::RefreshAsAccess => "Send the refresh token where an access token belongs.",
    },
    check_lesson: |check| match check {
        TokenCheck::TamperedPayload => {
            "The signature covers the header and the payload: one changed byte and it no \
            longer matches. Anyone can read a JWT; only the key holder can change it."
        }
        TokenCheck::AlgNone => "This server decides the algorithm itself; a token cannot switch the check off.",
        TokenCheck::Hs512SameKey => {
            "Even with the right key, an algorithm off the list is refused: the list is \
            fixed, never taken from the token."
        }
        TokenCheck::OtherKey => "Without the key there is no valid signature; the key never leaves the server.",
        TokenCheck::Expired => {
            "exp bounds how long a stolen token works. Past exp (and 5 s of leeway for clock \
            differences) it is refused, whatever the signature."
        }
        TokenCheck::NotYetValid => "nbf is checked whenever a token carries it.",
        TokenCheck::RefreshAsAccess => {
            "Here the refresh token is an opaque random string kept (hashed) on the \
            server, not a JWT: it opens nothing but the refresh endpoint, where it is spent."
        }
    },
    lab_replays_title: "Used again: after logout, after rotation, planted before login",
    lab_replays_lead: "Each run logs the Lab's user in afresh, so your own login is never touched. The last request \
        is the one to predict.",
    lab_predict_replay: "The last request will be…",
    lab_replay_accepted: "Accepted.",
    lab_replay_refused: "Refused.",
    lab_valid_for: |seconds| format!("The server goes on accepting this token for {seconds} s more."),
    replay_title: |replay| match replay {
        Replay::SessionAfterLogout => "A session cookie after logout",
        Replay::JwtAfterLogout => "An access token after logout",
        Replay::RefreshReuse => "A spent refresh token, presented again",
        Replay::SessionFixation => "A session id planted before login",
    },
    replay_claim: |replay| match replay {
        Replay::SessionAfterLogout => "Log in by session, log out, then send the old cookie again.",
        Replay::JwtAfterLogout => "Log in by JWT, log out, then send the old access token again.",
        Replay::RefreshReuse => {
            "Refresh once (the refresh token rotates), then present the old refresh token again, \
            as a thief who copied it would."
        }
        Replay::SessionFixation => "Send a session id chosen by an attacker, log in with it, then try that id.",
    },
    replay_lesson: |replay, strict| match (replay, strict) {
        (Replay::SessionAfterLogout, _) => {
            "Logout deleted the record; the id now points at nothing. Taking a \
            session back is immediate because the server holds it."
        }
        (Replay::JwtAfterLogout, false) => {
            "Logout revoked the refresh family, but the access token is stored \
            nowhere: its signature is still good, so it works until exp (plus the leeway). Turn strict revocation on \
            (on /admin) and run it again."
        }
        (Replay::JwtAfterLogout, true) => {
            "Strict revocation is on: every token's login is looked up, so the \
            revoked login is refused at once. The price is a lookup on every request: state again."
        }
        (Replay::RefreshReuse, _) => {
            "A refresh token is single-use. When a spent one comes back, one of the two \
            holders is a thief, and the server cannot tell which: it revokes the whole family, so the rightful new \
            token dies too."
        }
        (Replay::SessionFixation, _) => {
            "The login issued a new session id (rotated at login), so the planted one \
            was never logged in. An attacker who plants an id learns nothing."
        }
    },
    lab_propagation_title: "How fast a change reaches each mode",
    lab_propagation_lead: "Each run logs a demo user in twice, by session and by JWT, makes one change to it on the \
        server, and has both clients ask GET /api/me every half second until each shows the change. The times are \
        measured, request by request.",
    propagation_title: |experiment| match experiment {
        Propagation::ForcedLogout => "Forced logout",
        Propagation::RoleChange => "Role change (user → admin)",
    },
    propagation_claim: |experiment| match experiment {
        Propagation::ForcedLogout => "An admin logs the user out of every login. When is each client refused?",
        Propagation::RoleChange => "An admin promotes the user to admin. When does each client act as admin?",
    },
    lab_predict_session: "The session client will see it…",
    lab_predict_jwt: "The JWT client will see it…",
    lab_guess_at_once: "at its next request",
    lab_guess_later: "only when its access token runs out",
    lab_propagation_takes: "A run lasts until both clients showed the change: at most the demo token's life plus \
        the leeway.",
    lab_propagation_running: "Running: both clients are asking every half second…",
    propagation_took: |ms, at_once| {
        let when = if at_once { "its next request" } else { "a later request" };
        format!("{:.1} s after the change ({when})", ms as f64 / 1000.0)
    },
    propagation_lesson: |experiment, strict, ttl, leeway| match (experiment, strict) {
        (Propagation::ForcedLogout, false) => format!(
            "The session client was refused at its next request: its record was deleted, and every request looks \
             it up. The JWT client went on being served (amber) until its token ran out ({ttl} s life, plus {leeway} \
             s leeway); then its refresh was refused, because the refresh family is server state. Turn strict \
             revocation on in /admin and run it again."
        ),
        (Propagation::ForcedLogout, true) => format!(
            "Strict revocation is on: every JWT request looks its login up, so both clients were refused at once. \
             That lookup is state on every request, as with sessions. Without it the token would live up to {ttl} \
             s (plus {leeway} s leeway)."
        ),
        (Propagation::RoleChange, _) => format!(
            "The session client acted as admin at its next request: the server reads the role from the users table \
             on every request. The JWT client's token still says role: user, signed, until it runs out ({ttl} s plus \
             {leeway} s leeway); only the token its refresh brings says admin. A demotion is just as slow, which is \
             the dangerous direction."
        ),
    },
    lab_browser_title: "In this browser",
    lab_browser_lead: "These two run here, in your browser, with its real cookies and a real page of another site.",
    lab_guess_yes: "yes",
    lab_guess_no: "no",
    lab_script_title: "What page script can read",
    lab_script_claim: "A script on this page (yours, or one an attacker injected) reads document.cookie and \
        localStorage. Your login cookie is HttpOnly; a token kept in localStorage is not protected at all. A \
        harmless demo token stands in for the real one.",
    lab_predict_script_cookie: "Will script see your login cookie?",
    lab_predict_script_storage: "Will script read a token kept in localStorage?",
    lab_script_server_saw: "Cookies the server received with this page's request:",
    lab_script_no_login: "You are not logged in, so this browser holds no login cookie. Log in (either mode) and \
        run it again to see HttpOnly at work.",
    lab_script_sees: "Script can read your login cookie.",
    lab_script_hidden: "Your login cookie is invisible to script: HttpOnly.",
    lab_script_lesson: "HttpOnly keeps the credential out of reach of any script, so an XSS hole cannot steal it \
        (it can still send requests from the page while you are on it). A token in localStorage is one line of \
        script away from the attacker's server. That is why this app keeps JWTs in HttpOnly cookies in the browser, \
        and why CSRF then needs the origin check below.",
    lab_csrf_title: "A cross-site form post (CSRF)",
    lab_csrf_claim: "A page of another site submits a hidden form to this app's state-changing route, hoping your \
        browser attaches your login cookie. The other site here is this same server under its other loopback name \
        (localhost and 127.0.0.1 are different sites to a browser).",
    lab_predict_csrf_accepted: "The other site's post will be…",
    lab_predict_csrf_cookie: "Will your login cookie go with it?",
    lab_guess_accepted: "accepted",
    lab_guess_refused: "refused",
    lab_csrf_open: "Open the other site (new tab)",
    lab_csrf_same_site: "Send the same form from this page",
    lab_csrf_no_second_origin: "This experiment needs a second local site: open the Lab at http://127.0.0.1:<port> \
        or http://localhost:<port> (one is the other's second site).",
    lab_csrf_steps: "Predict, open the other site, then come back to this tab: what the server saw appears here. \
        Send the same form from this page to compare.",
    lab_csrf_waiting: "Waiting for the form to arrive…",
    lab_csrf_from_other: "From the other site",
    lab_csrf_from_here: "From this page",
    lab_csrf_refused_by_origin: "Refused by the origin check (403 csrf) before anything else ran.",
    lab_csrf_reached: "Reached the route.",
    lab_csrf_cookie_went: "Your login cookie went with it.",
    lab_csrf_cookie_stayed: "No login cookie came with it.",
    lab_csrf_lesson: "Two defences, each enough here. SameSite=Lax kept your cookie at home: the browser does not \
        attach it to another site's POST. The origin check refused the request anyway (Sec-Fetch-Site: cross-site), \
        which also covers what SameSite does not: a sibling on the same site (another port or subdomain), an older \
        browser, a cookie set without SameSite. A bearer token in a header is not sent by any form, which is why \
        APIs used with tokens are not exposed to CSRF.",
    attacker_title: "Another site",
    attacker_lead: |here, target| {
        format!(
        "This page is served from {here}. To your browser that is another site than {target}, as an attacker's page \
         would be."
    )
    },
    attacker_sent: |action| format!("As it opened, it submitted this hidden form to {action}:"),
    attacker_again: "Send it again",
    attacker_back: "Now go back to the Lab's tab: it shows what the server saw.",
    guide_title: "Study guide: session vs token in an hour",
    guide_lead: "Nine steps, one per claim of the debate. Each step says what the claim is, which experiment tests \
        it, what to look for, and a question for the group. Predict before you run: the Lab keeps each browser's \
        score, so you can compare at the end.",
    guide_how: "Run it with one laptop on a projector, or everyone on their own phone or laptop against the same \
        server. Only a browser is needed. Log in once by session and once by JWT (two browsers, or one after the \
        other) where a step asks for it.",
    guide_print: "Print this guide",
    guide_plan: "The hour at a glance",
    guide_step_col: "Step",
    guide_minutes_col: "Minutes",
    guide_from_col: "Starts at",
    guide_minutes: |minutes| format!("{minutes} min"),
    guide_claim_label: "The claim",
    guide_try_label: "Try it",
    guide_look_label: "Look for",
    guide_question_label: "Discuss",
    guide_step: |step| match step {
        GuideStep::Stateless => GuideText {
            title: "HTTP forgets you: why credentials exist",
            claim: "HTTP is stateless: each request stands alone, so every request after login must carry proof of \
                who sends it: a session id that points at server state, or a signed token that carries the claims.",
            look_for: "On /compare, the flow of each mode and the box your own request went through. In the Lab, \
                send a token whose payload says admin and see which check refuses it.",
            question: "If the server kept nothing at all, what would a logout even mean?",
        },
        GuideStep::Storage => GuideText {
            title: "What each mode stores, and where",
            claim: "Sessions keep state on the server and give the browser only an id; JWT keeps the claims in the \
                token and (almost) nothing on the server.",
            look_for: "On /compare: the session rows and bytes per login, and the JWT column's refresh families. \
                Then the session-fixation replay: a planted id is never adopted, because login issues a new one.",
            question: "JWT mode here still stores a refresh family per login. Is it still 'stateless'?",
        },
        GuideStep::Traffic => GuideText {
            title: "Traffic: how many bytes a credential costs",
            claim: "A token makes every request bigger (\"about 50% more traffic\").",
            look_for: "On /compare, the credential header bytes and all request header bytes of the same request in \
                both modes, measured on this server, and why they differ (claims, signature, the refresh cookie).",
            question: "For which clients and networks would the difference matter, and for which not at all?",
        },
        GuideStep::ForcedLogout => GuideText {
            title: "Forced logout",
            claim: "A session is taken back at once; a JWT lives until it expires.",
            look_for: "The forced-logout run: the session client refused at its next request, the JWT client served \
                (amber) until its token runs out. Run it again with strict revocation on (an admin turns it on in \
                /admin). Presenters: the race shows it live.",
            question: "What does strict revocation cost, and what is left of the 'no server state' argument with it \
                on?",
        },
        GuideStep::RoleChange => GuideText {
            title: "Role change",
            claim: "A new role reaches a session at once; a token keeps the role it was signed with.",
            look_for: "The role-change run: when each client first acts as admin, and that the JWT client only does \
                after a refresh.",
            question: "Promotion late is an annoyance. Demotion late is a hole. How short must tokens live here?",
        },
        GuideStep::Servers => GuideText {
            title: "Several servers",
            claim: "A session made on server A is unknown on server B unless they share a store (or the balancer is \
                sticky); a JWT verifies anywhere that has the key.",
            look_for: "On /compare, the trade-off table's row for several servers: what this server uses for its \
                session store, and what JWT needs once strict revocation is on.",
            question: "Sticky sessions 'work'. What happens to the logged-in users of a server that restarts?",
        },
        GuideStep::CsrfXss => GuideText {
            title: "CSRF vs XSS: where the credential lives",
            claim: "Cookies invite CSRF; localStorage invites XSS theft. You choose which attack to defend against.",
            look_for: "What page script can read: the HttpOnly cookie is invisible, the demo token in localStorage \
                is not. Then the cross-site form: does your cookie travel, and which defence refuses the request?",
            question: "This app keeps JWTs in HttpOnly cookies in the browser. What did it gain, and what did it \
                have to add?",
        },
        GuideStep::Refresh => GuideText {
            title: "Refresh tokens",
            claim: "Short access tokens plus a refresh token give both: quick expiry and long logins.",
            look_for: "The spent-refresh-token replay: the old token is refused and the whole family is revoked, so \
                even the rightful new token dies. On /me, your devices and how long a revoked token still works.",
            question: "Why revoke the whole family instead of just refusing the one reused token?",
        },
        GuideStep::Attacks => GuideText {
            title: "The classic JWT attacks",
            claim: "JWT is secure if the verifier is; most JWT breaches are verifier mistakes.",
            look_for: "The broken tokens against this app's verifier (each refused, naming the check), then the \
                naive verifiers: each attack lets you in there and is refused by the real one, with the rule that \
                stops it.",
            question: "Which of the seven naive mistakes would a code review catch, and which only a test?",
        },
    },
    guide_link: |link| match link {
        "/compare" => "Compare: the flows",
        "/compare#stored-session" => "Compare: what the server stores",
        "/compare#wire" => "Compare: bytes on the wire",
        "/compare#trade-offs" => "Compare: the trade-offs",
        "/compare/race" => "The race (admins)",
        "/lab#lab-checks" => "Lab: broken tokens",
        "/lab#lab-naive" => "Lab: the naive verifier",
        "/lab#replay-session_fixation" => "Lab: session fixation",
        "/lab#replay-jwt_after_logout" => "Lab: a token after logout",
        "/lab#replay-refresh_reuse" => "Lab: a spent refresh token",
        "/lab#propagation-forced_logout" => "Lab: forced logout",
        "/lab#propagation-role_change" => "Lab: role change",
        "/lab#script-read" => "Lab: what script can read",
        "/lab#csrf" => "Lab: a cross-site form post",
        "/me" => "My page: devices",
        _ => "Open",
    },
    bench_title: "Under load: make bench",
    bench_lead: |date, commit, cores, cpu, connections, rounds, duration| {
        format!(
            "The figures above are this server's own, live. These are the same paths under load: `make bench` on \
             {date} (commit {commit}, {cores} cores, {cpu}), wrk with {connections} connections on loopback, the median of \
             {rounds} rounds of {duration} per path. Run it again and reload to see your machine's."
        )
    },
    bench_missing: "No load results on this server yet. Run `make bench` (a few minutes), then reload: each path's \
                    requests per second, its 99th percentile and the memory each login costs appear here.",
    bench_path: "Path",
    bench_rps: "Requests/s",
    bench_share: "Share of the ceiling (/livez)",
    bench_path_label: |key| {
        match key {
            "livez" => "the ceiling: touches nothing",
            "readyz" => "readiness: database and session store",
            "jwt_me" => "JWT, Bearer header",
            "session_me" => "session cookie",
            "jwt_strict_me" => "JWT with strict revocation",
            "home" => "home page, anonymous",
            "login" => "login page, anonymous",
            "me_page" => "“Me” page, logged in",
            "css" => "stylesheet (static file)",
            other => other,
        }
        .to_owned()
    },
    bench_state_title: "What each login costs the server",
    bench_mode: "Mode",
    bench_header_bytes: "Header per request",
    bench_rss_per_login: "Memory per login",
    bench_stored_per_login: "Stored per login",
    bench_logins_per_second: "Logins/s",
    bench_footer: |logins, rate_logins, first_visit_kb, rss_mb| {
        format!(
            "Per mode, {logins} logins of one user on a fresh server. Memory is what the process grew by (the \
             session's includes its cache of records); stored is the rows' values, without the engine's overhead. \
             Logins/s: {rate_logins} logins per mode at the real argon2id cost. First visit to /login: \
             {first_visit_kb} KB transferred. Memory of the idle server after the load: {rss_mb} MB."
        )
    },
    cluster_title: "Several servers",
    cluster_single: |here| {
        format!(
            "This server runs alone (instance {here}). Start make cluster to run three instances behind nginx: \
             then this card shows each one's session lookups, sends requests through the balancer to see which \
             instance knows you, and restarts any instance for real."
        )
    },
    cluster_lead: |here, store, database| {
        format!(
            "This page came from instance {here}, through nginx. Session store of every instance: {store}; \
             database: {database}."
        )
    },
    cluster_lesson: |store| {
        match store {
        "memory" => {
            "Each instance keeps its sessions in its own memory. Log in with a session, then ask: only the instance \
             that made your session knows you; the others count an unknown session, and tell the browser to delete its \
             cookie (tower-sessions does so for any id it cannot find): the first request that lands elsewhere logs you \
             out everywhere, even right after the login form. With sticky balancing (STICKY=1) \
             it seems to work, until your instance restarts. A JWT verifies on every instance: they share the key."
        }
        "sqlite" => {
            "Every instance reads the same SQLite file on this machine: a session works on all of them and survives \
             a restart. Across machines a file cannot be shared: that is what Redis or PostgreSQL are for."
        }
        _ => {
            "Every instance reads the same shared store: a session works on all of them and survives a restart of \
             any. A forced logout through one instance is told to every instance's cache at once. A JWT needs no \
             shared state, until strict revocation asks the shared database."
        }
    }
    },
    cluster_instance: "Instance",
    cluster_lookups: "Session lookups",
    cluster_unknown: "Unknown here",
    cluster_jwt_accepted: "Tokens accepted",
    cluster_jwt_refused: "Tokens refused",
    cluster_started: "Started",
    cluster_down: "not answering (restarting?)",
    cluster_restart: "Restart",
    cluster_restart_label: |name| format!("Restart instance {name}"),
    cluster_restarting: |name| format!("Instance {name} is restarting: what it held in memory is gone."),
    cluster_ask: "Ask 6 times through the balancer",
    cluster_ask_hint: "Each ask is a real request through nginx with your browser's credential; the answer names the \
                       instance that served it and who it took you for.",
    cluster_served_by: |instance| format!("Instance {instance}:"),
    cluster_hop_known: |name, mode| format!("knows you as {name} ({mode})."),
    cluster_hop_anonymous: "no credential came with the request: anonymous.",
    cluster_cookie_deleted:
        "This instance does not know the session, so it also told the browser to delete the cookie.",
};

fn error(error: &AppError) -> String {
    match error {
        AppError::InvalidCredentials => "Wrong username or password.".into(),
        AppError::Unauthenticated => "You need to log in first.".into(),
        AppError::CredentialRefused(refusal) => format!("Your credentials were refused: {}.", self::refusal(refusal)),
        AppError::Forbidden(Denial::NeedsRole { role }) => format!("This needs the {role} role."),
        AppError::Forbidden(Denial::NotYourPost { delete }) => {
            format!(
                "That post is not yours: you cannot {} it.",
                if *delete { "delete" } else { "edit" }
            )
        }
        AppError::Forbidden(Denial::NotInCluster) => {
            "Only the instances of this cluster may ask that (it takes the cluster's secret); outside make cluster, \
             nobody can."
                .into()
        }
        AppError::WrongPassword => "The current password is wrong.".into(),
        AppError::UsernameTaken(username) => format!("The username {username:?} is taken."),
        AppError::LastAdmin => "There must always be at least one admin.".into(),
        AppError::NoRace => "No race is running: start one first.".into(),
        AppError::RefreshReused => {
            "This refresh token was already used; every token of its login has been revoked.".into()
        }
        AppError::InvalidRefreshToken(problem) => refresh_problem(*problem).into(),
        AppError::BadRequest(input) => bad_input(input),
        AppError::PayloadTooLarge => "The request body is too large.".into(),
        AppError::RateLimited(seconds) => format!("Too many failed logins; try again in {seconds} s."),
        AppError::NotFound => "Not found.".into(),
        AppError::Internal => "Something went wrong on the server.".into(),
        AppError::HeadersTooLarge => "The request's headers (cookies, tokens) are too large.".into(),
        AppError::Busy => "The server is busy checking other passwords; try again in a second.".into(),
        AppError::NotReady => "Not ready: the database or the session store does not answer.".into(),
        AppError::CrossSite => {
            "Refused: this request came from another site's page (cross-site request forgery).".into()
        }
        AppError::ServerFn(detail) => format!("The request failed: {detail}"),
    }
}

fn refresh_problem(problem: RefreshProblem) -> &'static str {
    match problem {
        RefreshProblem::NotValid => "This refresh token is not valid.",
        RefreshProblem::Revoked => "This login was revoked.",
        RefreshProblem::Expired => "This refresh token has expired.",
        RefreshProblem::AccountGone => "This account no longer exists.",
        RefreshProblem::NoneHeld => "This browser holds no refresh token.",
    }
}

fn refresh_failure(failure: &RefreshFailure) -> String {
    match failure {
        RefreshFailure::Reused => error(&AppError::RefreshReused),
        RefreshFailure::Invalid(problem) => refresh_problem(*problem).into(),
        RefreshFailure::ServerError => error(&AppError::Internal),
    }
}

fn bad_input(input: &BadInput) -> String {
    match input {
        BadInput::ChooseMode => "Choose Session or JWT.".into(),
        BadInput::UnknownRole => "A role is `user` or `admin`.".into(),
        BadInput::MissingCredentials => "Enter a username and a password.".into(),
        BadInput::EmptyPost => "A post cannot be empty.".into(),
        BadInput::PostTooLong(max) => format!("A post has at most {max} characters."),
        BadInput::UsernameLength(min, max) => format!("A username has {min} to {max} characters."),
        BadInput::UsernameCharacters => "A username may contain only letters a–z, digits, `_` and `-`.".into(),
        BadInput::PasswordLength(min, max) => format!("A password has {min} to {max} characters."),
        BadInput::SamePassword => "The new password must differ from the current one.".into(),
        BadInput::LoginLimitRange(max) => format!("The login limit is 0 (none) to {max}."),
        BadInput::UnknownAuditEvent(event) => format!("There is no audit event {event:?}."),
        BadInput::UnknownLanguage(lang) => format!("There is no language {lang:?}: choose `en` or `ko`."),
        BadInput::UnknownAction => "Unknown race action.".into(),
        BadInput::RunId => "A run id is 8 to 64 letters, digits or dashes.".into(),
        BadInput::Unreadable(detail) => format!("The request could not be read: {detail}"),
    }
}

fn token_rejection(rejection: &TokenRejection) -> String {
    match rejection {
        TokenRejection::Expired => "token expired (exp is in the past)".into(),
        TokenRejection::NotYetValid => "not valid yet (nbf)".into(),
        TokenRejection::BadSignature => "signature does not match".into(),
        TokenRejection::WrongAlgorithm => "algorithm is not HS256".into(),
        TokenRejection::WrongIssuer => "wrong issuer (iss)".into(),
        TokenRejection::WrongAudience => "wrong audience (aud)".into(),
        TokenRejection::MissingClaim(claim) => format!("required claim `{claim}` is missing"),
        TokenRejection::TooLarge => "token is too large".into(),
        TokenRejection::UnknownKey => "signed with a key this server does not know (kid)".into(),
        TokenRejection::Malformed(detail) => format!("not a valid token: {detail}"),
    }
}

fn refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::NotBearer => "the Authorization header is not `Bearer <token>`".into(),
        Refusal::Token(rejection) => token_rejection(rejection),
        Refusal::SubjectNotUser => "the token's subject is not a user id".into(),
        Refusal::StrictRevoked => "strict revocation: this token's login was revoked or has expired".into(),
        Refusal::StrictLookupFailed => "strict revocation: the login could not be looked up".into(),
        Refusal::RefreshFailed(failure) => format!("refresh failed: {}", refresh_failure(failure)),
        Refusal::NoSessionRecord { store } => {
            format!("no live record for this id in {store} (logged out, expired or made up)")
        }
        Refusal::SessionStoreUnreadable => "the session store could not be read".into(),
        Refusal::SessionTooOld => "the session passed its absolute lifetime; record deleted".into(),
        Refusal::SessionUserGone => "the session's user no longer exists; record deleted".into(),
        Refusal::UsersUnreadable => "the user table could not be read".into(),
    }
}

fn step(step: &Step) -> String {
    match step {
        Step::Anonymous => "no credential presented: anonymous".into(),
        Step::ReadAuthorization { bytes } => format!("read Authorization header ({bytes} bytes)"),
        Step::ReadCookie { name, bytes } => format!("read cookie {name} ({bytes} bytes)"),
        Step::VerifiedSignature { lookup_follows, cached } => {
            let checked = if *cached {
                "this process verified this exact token's HS256 signature, iss and aud when it first came \
                 (kept in its cache); checked exp again"
            } else {
                "verified HS256 signature, exp, iss and aud"
            };
            if *lookup_follows {
                checked.into()
            } else {
                format!("{checked}: no server lookup")
            }
        }
        Step::StrictLookupLive => "strict revocation: looked its login up in refresh_families: still live".into(),
        Step::RefreshNeeded { cookie } => format!("access token missing or expired; read cookie {cookie} to refresh"),
        Step::Rotated => "rotated the refresh token (one row used, one inserted) and issued a new access token".into(),
        Step::SessionFound { store, cached: false } => format!("looked up the session record in {store}"),
        Step::SessionFound { store, cached: true } => {
            format!("found the session record in this process's cache (no query; kept in {store})")
        }
        Step::UserLoaded { cached: false } => "loaded the user's current name and role from the users table".into(),
        Step::UserLoaded { cached: true } => {
            "read the user's current name and role from this process's cache (cleared by every role change)".into()
        }
        Step::IdleExtended => "activity: the idle timeout is extended when the response is sent".into(),
        Step::Refused { refusal } => format!("refused: {}", self::refusal(refusal)),
    }
}

fn counts(counts: &RevokedCounts) -> String {
    let mut text = format!(
        "{} session(s) deleted, {} refresh family(ies) revoked",
        counts.sessions, counts.refresh_families
    );
    if counts.access_tokens_valid_for > 0 {
        text.push_str(&format!(
            "; their access tokens stay valid for up to {} s",
            counts.access_tokens_valid_for
        ));
    }
    text
}

fn settings(settings: &Settings) -> (&'static str, String) {
    let strict = if settings.strict_revocation { "on" } else { "off" };
    let limit = match settings.max_logins_per_user {
        0 => "none".to_owned(),
        limit => limit.to_string(),
    };
    (strict, limit)
}

fn audit_detail(detail: &AuditDetail) -> String {
    match detail {
        AuditDetail::WrongCredentials => "wrong username or password".into(),
        AuditDetail::TooManyFailures => "too many failed logins".into(),
        AuditDetail::NewSession => "new session record".into(),
        AuditDetail::NewRefreshFamily => "new refresh family".into(),
        AuditDetail::Rotated => "refresh token rotated, new access token issued".into(),
        AuditDetail::RefreshRefused { failure } => refresh_failure(failure),
        AuditDetail::LoggedOut {
            mode: AuthMode::Session,
        } => "session record deleted".into(),
        AuditDetail::LoggedOut { mode: AuthMode::Jwt } => {
            "refresh family revoked; the access token cookie removed".into()
        }
        AuditDetail::Revoked { counts } => self::counts(counts),
        AuditDetail::ForcedLogout { by, counts } => format!("by {by}: {}", self::counts(counts)),
        AuditDetail::PasswordChanged { counts } => format!("other logins: {}", self::counts(counts)),
        AuditDetail::WrongCurrentPassword => "the current password was wrong".into(),
        AuditDetail::TooManyWrongPasswords => "too many wrong passwords".into(),
        AuditDetail::LoginLimit {
            limit,
            mode,
            ip,
            created_at,
            tokens_valid_for,
        } => {
            let mut text = format!(
                "limit {limit}: revoked the oldest login ({}, from {}, created {})",
                EN.mode_label(*mode),
                ip.as_deref().unwrap_or("an unknown address"),
                crate::model::format_utc(*created_at)
            );
            if *mode == AuthMode::Jwt {
                text.push_str(&format!(
                    "; counted from its refresh family, as its access token is not on the server, which stays \
                     valid for up to {tokens_valid_for} s"
                ));
            }
            text
        }
        AuditDetail::SettingsChanged { before, after } => {
            let ((strict_before, limit_before), (strict_after, limit_after)) = (settings(before), settings(after));
            format!(
                "strict revocation {strict_before} → {strict_after}, max logins per user {limit_before} → \
                 {limit_after}"
            )
        }
        AuditDetail::RoleChanged { from, to, by } => format!("{from} → {to} by {by}"),
        AuditDetail::Denied {
            status,
            request,
            because,
        } => {
            let why = match because {
                DeniedBecause::NotAllowed => "not allowed for this user".to_owned(),
                DeniedBecause::NoCredential => "no credential".to_owned(),
                DeniedBecause::Refused(refusal) => format!("credential refused: {}", self::refusal(refusal)),
            };
            format!("{status} {request}: {why}")
        }
    }
}
