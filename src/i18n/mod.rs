//! Korean and English: one typed catalog per language, chosen per visitor.
//!
//! A catalog is a struct literal, so a key missing in either language does
//! not compile, and a key no page reads is a dead-code warning (an error
//! under clippy's `-D warnings`). Texts with values in them are functions,
//! so each language puts the values where its grammar wants them.

mod en;
mod ko;
#[cfg(feature = "ssr")]
pub mod server;

use crate::{
    error::AppError,
    model::{
        compare::{CompareFacts, FlowNode, SameRequest, StoredKind},
        guide::GuideStep,
        lab::{Flaw, Propagation, Replay, TokenCheck},
        race::{RaceAction, RaceLane, RaceStop, RaceTick},
        AuditDetail, AuthMode, ClientSummary, Role, Step,
    },
};
use leptos::prelude::*;

/// The remembered choice of language.
pub const LOCALE_COOKIE: &str = "authlab_lang";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    En,
    Ko,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ko];

    /// The BCP 47 tag, as in `<html lang>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    /// `ko`, `ko-KR`, `EN-us`, ...: the primary subtag decides.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Locale::ALL
            .into_iter()
            .find(|locale| primary.eq_ignore_ascii_case(locale.as_str()))
    }

    /// The most preferred language of an `Accept-Language` header that we
    /// have (highest `q`, the earlier on a tie; `q=0` means "not this").
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(Locale, f32)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let Some(locale) = parts.next().and_then(Locale::parse) else {
                continue;
            };
            let quality = parts
                .find_map(|param| param.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if quality > 0.0 && best.is_none_or(|(_, best_quality)| quality > best_quality) {
                best = Some((locale, quality));
            }
        }
        best.map(|(locale, _)| locale)
    }

    /// A remembered choice first, then the browser's languages, then English.
    pub fn negotiate(remembered: Option<&str>, accept_language: Option<&str>) -> Self {
        remembered
            .and_then(Locale::parse)
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }

    pub(crate) fn messages(self) -> &'static Messages {
        match self {
            Locale::En => &en::EN,
            Locale::Ko => &ko::KO,
        }
    }

    /// The part of the catalog a first visit needs (`Basics`).
    pub(crate) fn basics(self) -> &'static Basics {
        match self {
            Locale::En => &en::EN_BASICS,
            Locale::Ko => &ko::KO_BASICS,
        }
    }

    /// The other language, which the switch in the nav offers.
    pub fn other(self) -> Self {
        match self {
            Locale::En => Locale::Ko,
            Locale::Ko => Locale::En,
        }
    }
}

/// `12345` as `12,345` (both languages group digits by three).
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// The catalog of the language this page is rendered in.
pub(crate) fn use_messages() -> &'static Messages {
    use_context::<Locale>().unwrap_or_default().messages()
}

/// Its basics, for the code every visitor loads (see `Locale::basics`).
pub(crate) fn use_basics() -> &'static Basics {
    use_context::<Locale>().unwrap_or_default().basics()
}

/// The texts of what a first visit shows: the nav bar, `/`, `/login`,
/// `/signup` and errors. The code every visitor loads reads only these,
/// so the rest of the catalog's formatting functions go with the lazy
/// pages' wasm files (`app::lazy_pages`). Its strings stay in the first
/// file: the linker merges string literals into one block, which the
/// splitter cannot cut (measured: the split saved 5.5 KB, the formatters).
pub(crate) struct Basics {
    /// The language's name in itself, for the switch.
    pub language_name: &'static str,
    pub switch_language: &'static str,
    pub not_found: &'static str,
    pub never: &'static str,
    pub mode_session: &'static str,
    pub role: fn(Role) -> &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub error: fn(&AppError) -> String,
    pub client: fn(&ClientSummary) -> String,

    // nav
    pub nav_main: &'static str,
    pub nav_me: &'static str,
    pub nav_board: &'static str,
    pub nav_admin: &'static str,
    pub nav_compare: &'static str,
    pub nav_lab: &'static str,
    pub nav_signup: &'static str,
    pub nav_login: &'static str,
    pub nav_logout: &'static str,
    pub revoked_banner_before: &'static str,
    pub revoked_banner_after: &'static str,

    // home
    pub home_lead: &'static str,
    pub home_session_text: &'static str,
    pub home_jwt_text: &'static str,
    pub home_login_session: &'static str,
    pub home_login_jwt: &'static str,
    pub demo_accounts: &'static str,

    // login and sign-up
    pub login_title: &'static str,
    pub logged_out: &'static str,
    pub mode_question: &'static str,
    pub mode_session_hint: &'static str,
    pub mode_jwt_hint: &'static str,
    pub login_button: &'static str,
    pub demo_accounts_hint: &'static str,
    pub signup_title: &'static str,
    pub username_rules: &'static str,
    pub password_rules: &'static str,
    pub then_log_in_with: &'static str,
    pub create_account: &'static str,
    pub me_role: &'static str,
    pub nav_guide: &'static str,
    pub home_study: &'static str,
    /// the instance that answered (in a cluster)
    pub nav_instance: fn(&str) -> String,
    pub nav_instance_hint: &'static str,
}

/// Every text a person sees, in one language: the basics, and what the
/// other pages show (in the wasm file of the pages that read it).
pub(crate) struct Messages {
    pub basics: &'static Basics,

    // shared pieces
    pub loading: &'static str,
    pub unknown: &'static str,
    pub seconds: fn(i64) -> String,
    pub user: &'static str,
    pub mode: &'static str,
    pub save: &'static str,

    // /me
    pub me_you_are: (&'static str, &'static str),
    pub refresh_now: &'static str,
    pub token_says: fn(&str, &str) -> String,
    pub role_claim_explained: fn(i64) -> String,
    pub browser_holds: &'static str,
    pub cookie: &'static str,
    pub bytes: &'static str,
    pub all_http_only: &'static str,
    pub token_decoded: &'static str,
    pub token_readable: fn(usize) -> String,
    pub token_expires_in: (&'static str, &'static str),
    pub jwt_header: &'static str,
    pub jwt_payload: &'static str,
    pub server_stores: &'static str,
    pub session_record_in: fn(&str, &str) -> String,
    pub session_ends: fn(i64, i64) -> String,
    pub nothing_for_access_token: &'static str,
    pub signature_alone: &'static str,
    pub refresh_family_row: &'static str,
    pub family: &'static str,
    pub tokens_issued: &'static str,
    pub expires_in: &'static str,
    pub ip: &'static str,
    pub user_agent: &'static str,
    pub no_live_family: &'static str,
    pub trace_title: &'static str,
    pub step: fn(&Step) -> String,
    pub trace_summary: fn(usize, u64) -> String,
    pub needed_state: &'static str,
    pub needed_no_state: &'static str,

    // my devices, password, activity
    pub my_devices: &'static str,
    pub logout_others: &'static str,
    pub devices_hint: &'static str,
    pub revoke: &'static str,
    pub change_password: &'static str,
    pub change_password_hint: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub my_activity: &'static str,
    pub my_activity_hint: &'static str,

    // login lists
    pub no_logins: &'static str,
    pub this_browser: &'static str,
    pub server_holds: fn(AuthMode) -> &'static str,
    pub logged_in_at: &'static str,
    pub last_seen: &'static str,
    pub expires: &'static str,
    pub from: &'static str,
    pub revoked_summary: fn(u64, u64, u64) -> String,
    pub tokens_live_on: fn(i64) -> String,

    // audit trail
    pub nothing_recorded: &'static str,
    pub repeats_title: &'static str,
    pub when: &'static str,
    pub event: &'static str,
    pub outcome: &'static str,
    pub detail: &'static str,
    pub audit_event: fn(&str) -> String,
    pub audit_outcome: fn(&str) -> String,
    pub audit_detail: fn(&AuditDetail) -> String,

    // admin
    pub admin_title: &'static str,
    pub forced_logout_of: fn(&str) -> String,
    pub admins_only: &'static str,
    pub admins_only_text: &'static str,
    pub posts: &'static str,
    pub last_login: &'static str,
    pub make_role: fn(Role) -> &'static str,
    pub force_logout: &'static str,
    pub revocation_settings: &'static str,
    pub strict_is: fn(bool) -> (&'static str, &'static str),
    pub turn_strict: fn(bool) -> &'static str,
    pub strict_hint: &'static str,
    pub login_limit_label: &'static str,
    pub login_limit_hint: &'static str,
    pub live_logins: &'static str,
    pub audit_trail: &'static str,
    pub any: &'static str,
    pub filter: &'static str,

    // board
    pub board_title: &'static str,
    pub board_hint: &'static str,
    pub new_post: &'static str,
    pub post_button: &'static str,
    pub no_posts: &'static str,
    pub edited: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,

    // /compare
    pub compare_title: &'static str,
    pub compare_lead: &'static str,
    pub compare_viewer: fn(&str) -> String,
    pub compare_anonymous: &'static str,
    pub race_link: &'static str,
    pub compare_method: fn(usize, i64) -> String,
    pub flow_label: fn(&str) -> String,
    pub flow_title: fn(AuthMode, FlowNode) -> &'static str,
    pub flow_detail: fn(AuthMode, FlowNode) -> &'static str,
    pub flow_refused: &'static str,
    pub flow_no_request: &'static str,
    pub flow_walked: fn(bool, &str) -> String,
    pub holds_nothing: fn(&str) -> String,
    pub cookie_total: fn(usize) -> String,
    pub jwt_parts: fn(usize, usize, usize) -> String,
    pub base64_not_encryption: &'static str,
    pub stored_what: &'static str,
    pub rows: &'static str,
    pub stored_kind: fn(StoredKind) -> &'static str,
    pub per_login: fn(i64, i64) -> String,
    pub no_live_logins: &'static str,
    pub stored_note: fn(AuthMode) -> &'static str,
    pub on_the_wire: &'static str,
    pub latest_request: fn(bool, &str) -> String,
    pub wire_bytes: fn(usize, usize) -> String,
    pub no_request_yet: &'static str,
    pub check_cost: &'static str,
    pub auth_layer_cost: &'static str,
    pub strict_lookup_cost: &'static str,
    pub percentiles: fn(u64, u64, usize) -> String,
    pub wire_title: &'static str,
    pub wire_ratio: fn(&SameRequest, f64, f64) -> String,
    pub wire_needs_both: &'static str,
    pub wire_reason_measured: fn(usize, usize, usize) -> String,
    pub wire_reason_general: fn(usize) -> String,
    pub trade_title: &'static str,
    pub trade_question: &'static str,
    pub trade_see: &'static str,
    pub trade_experiment: &'static str,
    pub trade_run_it: &'static str,
    pub trade_row: fn(&str) -> &'static str,
    pub trade_link: fn(&str) -> &'static str,
    pub trade_size: fn(AuthMode, Option<usize>) -> String,
    pub trade_state: fn(AuthMode, Option<i64>, &str) -> String,
    pub trade_logout: fn(AuthMode, &CompareFacts) -> String,
    pub trade_role: fn(AuthMode, &CompareFacts) -> String,
    pub trade_servers: fn(AuthMode, &CompareFacts) -> String,
    pub trade_limit: fn(u32) -> String,
    pub trade_csrf: (&'static str, &'static str),
    pub trade_xss: (&'static str, &'static str),

    // /compare/race
    pub race_title: &'static str,
    pub race_lead: fn(&str, u64, u64) -> String,
    pub race_admins_only: &'static str,
    pub race_controls: &'static str,
    pub race_start: &'static str,
    pub race_restart: &'static str,
    pub race_stop: &'static str,
    pub race_promote: &'static str,
    pub race_demote: &'static str,
    pub race_strict: fn(bool) -> &'static str,
    pub race_running: fn(i64, u64) -> String,
    pub race_stopped: fn(RaceStop) -> String,
    pub race_not_started: &'static str,
    pub race_role_now: &'static str,
    pub race_last_tick: fn(&RaceTick) -> String,
    pub race_no_ticks: &'static str,
    pub race_token_ends: &'static str,
    pub race_action: fn(RaceAction) -> &'static str,
    pub race_timeline_label: fn(&RaceLane, &RaceLane) -> String,
    pub legend_accepted: &'static str,
    pub legend_refused: &'static str,
    pub legend_after_revocation: &'static str,
    pub legend_admin: &'static str,
    pub legend_refreshed: &'static str,
    pub race_reactions: &'static str,
    pub race_what: &'static str,
    pub race_when: &'static str,
    pub race_after: fn(i64) -> String,
    pub race_at: fn(i64) -> String,
    pub race_not_yet: &'static str,
    pub race_explained: fn(u64, u64) -> String,

    // /lab
    pub lab_title: &'static str,
    pub lab_lead: &'static str,
    pub lab_score: fn(usize, usize) -> String,
    pub lab_score_reset: &'static str,
    pub lab_naive_title: &'static str,
    pub lab_naive_lead: &'static str,
    pub lab_predict_naive: &'static str,
    pub lab_predict_real: &'static str,
    pub lab_guess_let_in: &'static str,
    pub lab_guess_refuse: &'static str,
    pub lab_run: &'static str,
    pub lab_forged: &'static str,
    pub lab_recovered: fn(&str, usize) -> String,
    pub lab_naive_side: &'static str,
    pub lab_real_side: &'static str,
    pub lab_let_in: &'static str,
    pub lab_refused: &'static str,
    pub flaw_title: fn(Flaw) -> &'static str,
    pub flaw_claim: fn(Flaw) -> &'static str,
    pub flaw_rule: fn(Flaw) -> &'static str,
    pub flaw_lesson: fn(Flaw) -> &'static str,
    pub lab_checks_title: &'static str,
    pub lab_checks_lead: &'static str,
    pub lab_sent_token: &'static str,
    pub lab_accepted: &'static str,
    pub check_title: fn(TokenCheck) -> &'static str,
    pub check_claim: fn(TokenCheck) -> &'static str,
    pub check_lesson: fn(TokenCheck) -> &'static str,
    pub lab_replays_title: &'static str,
    pub lab_replays_lead: &'static str,
    pub lab_predict_replay: &'static str,
    pub lab_replay_accepted: &'static str,
    pub lab_replay_refused: &'static str,
    pub lab_valid_for: fn(i64) -> String,
    pub replay_title: fn(Replay) -> &'static str,
    pub replay_claim: fn(Replay) -> &'static str,
    pub replay_lesson: fn(Replay, bool) -> &'static str,
    pub lab_propagation_title: &'static str,
    pub lab_propagation_lead: &'static str,
    pub propagation_title: fn(Propagation) -> &'static str,
    pub propagation_claim: fn(Propagation) -> &'static str,
    pub lab_predict_session: &'static str,
    pub lab_predict_jwt: &'static str,
    pub lab_guess_at_once: &'static str,
    pub lab_guess_later: &'static str,
    pub lab_propagation_takes: &'static str,
    pub lab_propagation_running: &'static str,
    pub propagation_took: fn(i64, bool) -> String,
    pub propagation_lesson: fn(Propagation, bool, u64, u64) -> String,
    pub lab_browser_title: &'static str,
    pub lab_browser_lead: &'static str,
    pub lab_guess_yes: &'static str,
    pub lab_guess_no: &'static str,
    pub lab_script_title: &'static str,
    pub lab_script_claim: &'static str,
    pub lab_predict_script_cookie: &'static str,
    pub lab_predict_script_storage: &'static str,
    pub lab_script_server_saw: &'static str,
    pub lab_script_no_login: &'static str,
    pub lab_script_sees: &'static str,
    pub lab_script_hidden: &'static str,
    pub lab_script_lesson: &'static str,
    pub lab_csrf_title: &'static str,
    pub lab_csrf_claim: &'static str,
    pub lab_predict_csrf_accepted: &'static str,
    pub lab_predict_csrf_cookie: &'static str,
    pub lab_guess_accepted: &'static str,
    pub lab_guess_refused: &'static str,
    pub lab_csrf_open: &'static str,
    pub lab_csrf_same_site: &'static str,
    pub lab_csrf_no_second_origin: &'static str,
    pub lab_csrf_steps: &'static str,
    pub lab_csrf_waiting: &'static str,
    pub lab_csrf_from_other: &'static str,
    pub lab_csrf_from_here: &'static str,
    pub lab_csrf_refused_by_origin: &'static str,
    pub lab_csrf_reached: &'static str,
    pub lab_csrf_cookie_went: &'static str,
    pub lab_csrf_cookie_stayed: &'static str,
    pub lab_csrf_lesson: &'static str,
    // The CSRF experiment's attacker page is plain HTML the server writes.
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub attacker_title: &'static str,
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub attacker_lead: fn(&str, &str) -> String,
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub attacker_sent: fn(&str) -> String,
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub attacker_again: &'static str,
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    pub attacker_back: &'static str,
    pub guide_title: &'static str,
    pub guide_lead: &'static str,
    pub guide_how: &'static str,
    pub guide_print: &'static str,
    pub guide_plan: &'static str,
    pub guide_step_col: &'static str,
    pub guide_minutes_col: &'static str,
    pub guide_from_col: &'static str,
    pub guide_minutes: fn(u32) -> String,
    pub guide_claim_label: &'static str,
    pub guide_try_label: &'static str,
    pub guide_look_label: &'static str,
    pub guide_question_label: &'static str,
    pub guide_step: fn(GuideStep) -> GuideText,
    pub guide_link: fn(&str) -> &'static str,

    // /compare: the latest `make bench` run
    pub bench_title: &'static str,
    /// date, commit, cores, processor, connections, rounds, duration of a round
    pub bench_lead: fn(&str, &str, u32, &str, u32, u32, &str) -> String,
    pub bench_missing: &'static str,
    pub bench_path: &'static str,
    pub bench_rps: &'static str,
    pub bench_share: &'static str,
    pub bench_path_label: fn(&str) -> String,
    pub bench_state_title: &'static str,
    pub bench_mode: &'static str,
    pub bench_header_bytes: &'static str,
    pub bench_rss_per_login: &'static str,
    pub bench_stored_per_login: &'static str,
    pub bench_logins_per_second: &'static str,
    /// logins per mode (grouped digits), first visit KB, idle RSS MB
    pub bench_footer: fn(&str, &str, u64, u64) -> String,

    // /compare and the Lab: several servers behind a balancer
    pub cluster_title: &'static str,
    /// this instance's name
    pub cluster_single: fn(&str) -> String,
    /// the instance that served the page, the session store
    pub cluster_lead: fn(&str, &str, &str) -> String,
    /// what to expect of this session store
    pub cluster_lesson: fn(&str) -> &'static str,
    pub cluster_instance: &'static str,
    pub cluster_lookups: &'static str,
    pub cluster_unknown: &'static str,
    pub cluster_jwt_accepted: &'static str,
    pub cluster_jwt_refused: &'static str,
    pub cluster_started: &'static str,
    pub cluster_down: &'static str,
    pub cluster_restart: &'static str,
    pub cluster_restart_label: fn(&str) -> String,
    pub cluster_restarting: fn(&str) -> String,
    pub cluster_ask: &'static str,
    pub cluster_ask_hint: &'static str,
    pub cluster_served_by: fn(&str) -> String,
    /// user name, mode
    pub cluster_hop_known: fn(&str, &str) -> String,
    pub cluster_hop_anonymous: &'static str,
    pub cluster_cookie_deleted: &'static str,
}

impl std::ops::Deref for Messages {
    type Target = Basics;

    fn deref(&self) -> &Basics {
        self.basics
    }
}

/// One step of `/guide` in one language.
pub struct GuideText {
    pub title: &'static str,
    /// What the claim of the debate says.
    pub claim: &'static str,
    /// What to look for in the experiment.
    pub look_for: &'static str,
    /// A question for the group.
    pub question: &'static str,
}

impl Basics {
    /// `Session` / `JWT` in this language.
    pub fn mode_label(&self, mode: AuthMode) -> &'static str {
        match mode {
            AuthMode::Session => self.mode_session,
            AuthMode::Jwt => "JWT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{thousands, Locale};

    #[test]
    fn groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(33114), "33,114");
        assert_eq!(thousands(-1234567), "-1,234,567");
    }

    #[test]
    fn parses_language_tags_by_their_primary_subtag() {
        assert_eq!(Locale::parse("ko"), Some(Locale::Ko));
        assert_eq!(Locale::parse(" ko-KR"), Some(Locale::Ko));
        assert_eq!(Locale::parse("EN-us"), Some(Locale::En));
        assert_eq!(Locale::parse("ja"), None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(Locale::parse("kor"), None);
    }

    #[test]
    fn accept_language_takes_the_best_supported_quality() {
        assert_eq!(
            Locale::from_accept_language("ko-KR,ko;q=0.9,en-US;q=0.8"),
            Some(Locale::Ko)
        );
        assert_eq!(Locale::from_accept_language("ja, en;q=0.5, ko;q=0.7"), Some(Locale::Ko));
        assert_eq!(Locale::from_accept_language("ko;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(
            Locale::from_accept_language("en, ko"),
            Some(Locale::En),
            "a tie goes to the first"
        );
        assert_eq!(Locale::from_accept_language("fr-FR, de;q=0.9"), None);
        assert_eq!(Locale::from_accept_language("ko;q=banana"), None);
        assert_eq!(Locale::from_accept_language(""), None);
    }

    #[test]
    fn the_remembered_choice_beats_the_header_and_english_is_the_fallback() {
        assert_eq!(Locale::negotiate(Some("en"), Some("ko-KR")), Locale::En);
        assert_eq!(Locale::negotiate(Some("nonsense"), Some("ko-KR")), Locale::Ko);
        assert_eq!(Locale::negotiate(None, Some("ko")), Locale::Ko);
        assert_eq!(Locale::negotiate(None, Some("fr")), Locale::En);
        assert_eq!(Locale::negotiate(None, None), Locale::En);
    }
}
