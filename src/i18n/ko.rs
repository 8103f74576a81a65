//! 한국어. 기술 용어는 한국 개발자들이 쓰는 대로 둔다: 세션, 쿠키, 토큰, JWT,
//! 액세스 토큰, 리프레시 토큰.

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

pub(super) static KO_BASICS: Basics = Basics {
    language_name: "한국어",
    switch_language: "언어",
    not_found: "페이지를 찾을 수 없습니다",
    never: "없음",
    mode_session: "세션",
    role: role_name,
    username: "아이디",
    password: "비밀번호",
    error,
    client: |summary| match summary {
        ClientSummary::Browser {
            browser,
            system: Some(system),
        } => format!("{system}의 {browser}"),
        ClientSummary::Browser { browser, system: None } => browser.clone(),
        ClientSummary::Other(product) => product.clone(),
        ClientSummary::Unknown => "알 수 없는 클라이언트".into(),
    },

    nav_main: "주 메뉴",
    nav_me: "내 정보",
    nav_board: "게시판",
    nav_admin: "관리자",
    nav_compare: "비교",
    nav_lab: "실험실",
    nav_signup: "회원가입",
    nav_login: "로그인",
    nav_logout: "로그아웃",
    revoked_banner_before: "서버가 이 로그인을 취소했지만, 토큰은 아직 ",
    revoked_banner_after:
        "초 동안 유효합니다. 서버는 이 토큰을 회수할 수 없습니다. 액세스 토큰에 대해서는 아무것도 \
        저장하지 않으므로, 토큰이 만료될 때까지(서버마다 시계가 조금씩 다를 수 있어 5초를 더 봐줍니다) 서명만 보고 \
        받아들입니다. 그 뒤에는 리프레시가 실패하고 로그아웃됩니다. \
        (서버가 로그인을 조회한 것은 이 안내를 보여 주기 위해서일 뿐입니다. 엄격한 취소를 켜면 토큰을 바로 거부합니다.)",

    home_lead: "서버 측 세션이나 JWT로 로그인한 뒤 똑같은 페이지를 써 보세요. 실제 요청마다 브라우저가 무엇을 들고 \
        있는지, 서버가 무엇을 저장하는지, 서버가 어떻게 사용자를 알아보는지 눈으로 확인할 수 있습니다.",
    home_session_text: "브라우저는 HttpOnly 쿠키에 아무 의미 없는 ID만 들고 있습니다. 서버는 로그인마다 레코드를 \
        하나씩 두고 요청마다 조회하므로, 로그아웃이나 취소가 즉시 적용됩니다.",
    home_jwt_text:
        "브라우저는 서명된 토큰을 들고 있고, 그 페이로드는 누구나 읽을 수 있습니다. 서버는 조회 없이 서명과 \
        클레임만 확인하고, 리프레시 토큰의 행만 저장합니다. 그래서 액세스 토큰은 만료될 때까지 살아 있습니다.",
    home_login_session: "세션으로 로그인",
    home_login_jwt: "JWT로 로그인",
    demo_accounts: "데모 계정",

    login_title: "로그인",
    logged_out: "로그아웃되었습니다.",
    mode_question: "서버가 당신을 어떻게 기억할까요?",
    mode_session_hint: "쿠키에는 의미 없는 ID만, 레코드는 서버에 남습니다",
    mode_jwt_hint: "쿠키에 서명된 토큰을, 서버에는 리프레시 토큰만 남깁니다",
    login_button: "로그인",
    demo_accounts_hint: "데모 계정: alice / alice-password, bob / bob-password, admin / admin-password",
    signup_title: "회원가입",
    username_rules: "영문자, 숫자, _, - 로 3–32자. 대소문자를 구분하지 않고 중복될 수 없습니다.",
    password_rules: "8–128자, 어떤 문자든 가능하며 입력한 그대로 사용합니다.",
    then_log_in_with: "가입 후 로그인 방식",
    create_account: "계정 만들기",
    me_role: "역할",
    nav_guide: "가이드",
    home_study: "스터디 모임이라면 한 시간짜리 가이드로 시작해, Lab에서 예측하고 실험을 실행한 뒤, 비교 페이지에서 두 \
        방식을 나란히 보세요:",
    nav_instance: |name| format!("인스턴스 {name}"),
    nav_instance_hint: "로드 밸런서 뒤에서 이 페이지의 마지막 요청에 응답한 서버",
};

pub(super) static KO: Messages = Messages {
    basics: &KO_BASICS,

    loading: "불러오는 중…",
    unknown: "알 수 없음",
    seconds: |n| format!("{n}초"),
    user: "사용자",
    mode: "방식",
    save: "저장",

    me_you_are: ("", " 님으로 로그인했습니다 "),
    refresh_now: "지금 토큰 갱신하기",
    token_says: |token, database| format!("토큰에는 {token}, 데이터베이스에는 {database}(으)로 되어 있습니다."),
    role_claim_explained: |seconds| {
        format!(
            "JWT는 역할을 서명된 클레임으로 들고 다니고, 서버는 아무것도 조회하지 않고 그 클레임을 믿습니다. 이것이 바로 \
             stateless라는 뜻입니다. 그래서 토큰이 다시 발급되는 다음 리프레시 때까지는 예전 역할이 유지됩니다 (이 토큰은 \
             {seconds}초 뒤에 만료됩니다)."
        )
    },
    browser_holds: "브라우저가 들고 있는 것",
    cookie: "쿠키",
    bytes: "바이트",
    all_http_only: "모두 HttpOnly입니다. 페이지 스크립트는 읽을 수 없고, 브라우저가 알아서 보냅니다.",
    token_decoded: "액세스 토큰 디코딩 결과",
    token_readable: |bytes| {
        format!(
            "이 {bytes}바이트를 가진 사람은 누구나 아래 내용을 읽을 수 있습니다. 서명되었을 뿐 암호화되지 않았습니다."
        )
    },
    token_expires_in: ("", "초 뒤에 만료됩니다."),
    jwt_header: "헤더",
    jwt_payload: "페이로드",
    server_stores: "서버가 저장하는 것",
    session_record_in: |store, prefix| {
        format!("{store}에 세션 레코드 하나가 있고, 쿠키에 든 ID({prefix}…)로 찾습니다.")
    },
    session_ends: |idle, absolute| {
        format!("{idle}초 동안 활동이 없으면 끝나고, 어떤 경우든 {absolute}초 뒤에는 끝납니다.")
    },
    nothing_for_access_token: "액세스 토큰에 대해서는 아무것도 저장하지 않습니다.",
    signature_alone: " 서버는 서명만으로 토큰을 검증합니다.",
    refresh_family_row: "리프레시 토큰 패밀리 행 하나 (토큰은 해시로만 저장됩니다):",
    family: "패밀리",
    tokens_issued: "지금까지 발급된 토큰",
    expires_in: "남은 시간",
    ip: "IP",
    user_agent: "User-Agent",
    no_live_family: "살아 있는 리프레시 토큰 패밀리가 없습니다. 이 토큰은 더 이상 갱신할 수 없습니다.",
    trace_title: "서버가 알아본 과정: ",
    step,
    trace_summary: |bytes, micros| format!("인증 헤더: {bytes}바이트. 확인에 걸린 시간: {micros}µs."),
    needed_state: "이 요청은 서버의 상태(저장소)가 필요했습니다.",
    needed_no_state: "이 요청은 서버 상태가 필요 없었습니다. 서명만으로 충분했습니다.",

    my_devices: "내 기기",
    logout_others: "다른 곳에서 모두 로그아웃",
    devices_hint: "지금 살아 있는 내 로그인 전부입니다. 세션은 서버가 지울 수 있는 레코드이고, JWT 로그인은 서버가 \
        취소할 수 있는 리프레시 토큰 패밀리입니다. 하지만 마지막으로 발급된 액세스 토큰은 서버 어디에도 없어서 \
        만료될 때까지 동작합니다.",
    revoke: "취소",
    change_password: "비밀번호 변경",
    change_password_hint: "이 로그인을 뺀 나머지 로그인은 모두 취소됩니다. 세션 방식이라면 이 로그인의 세션 ID도 새로 \
        바뀝니다.",
    current_password: "현재 비밀번호",
    new_password: "새 비밀번호 (8–128자)",
    my_activity: "내 활동",
    my_activity_hint: "내 로그인, 로그아웃, 리프레시, 취소, 거부된 요청을 최신순으로 보여 줍니다.",

    no_logins: "살아 있는 로그인이 없습니다.",
    this_browser: "이 브라우저",
    server_holds: |mode| match mode {
        AuthMode::Session => "세션 레코드",
        AuthMode::Jwt => "리프레시 패밀리 (액세스 토큰은 저장하지 않음)",
    },
    logged_in_at: "로그인",
    last_seen: "마지막 활동",
    expires: "만료",
    from: "접속 위치",
    revoked_summary: |revoked, sessions, families| {
        format!(
            "로그인 {revoked}개 취소: 세션 레코드 {sessions}개를 지워 즉시 끝냈고, 리프레시 패밀리 {families}개를 취소해 \
             다음 리프레시가 실패합니다."
        )
    },
    tokens_live_on: |seconds| {
        format!(
            "액세스 토큰은 서버에 없으므로 회수할 수 없습니다. 최대 {seconds}초 동안 계속 유효합니다(만료 시각에, 서버 간 \
             시계 차이를 위해 봐주는 5초를 더한 때까지). 엄격한 취소를 켜면 지금 바로 거부됩니다."
        )
    },

    nothing_recorded: "아직 기록이 없습니다.",
    repeats_title: "연속된 같은 요청의 수. 시각은 마지막 요청 기준입니다",
    when: "시각",
    event: "이벤트",
    outcome: "결과",
    detail: "내용",
    audit_event: |name| {
        match AuditEvent::parse(name) {
            Some(AuditEvent::Login) => "로그인",
            Some(AuditEvent::Logout) => "로그아웃",
            Some(AuditEvent::Refresh) => "리프레시",
            Some(AuditEvent::RefreshReuse) => "리프레시 토큰 재사용",
            Some(AuditEvent::ForcedLogout) => "강제 로그아웃",
            Some(AuditEvent::LoginRevoked) => "로그인 취소",
            Some(AuditEvent::LogoutOthers) => "다른 곳에서 로그아웃",
            Some(AuditEvent::LoginLimit) => "로그인 수 제한",
            Some(AuditEvent::PasswordChange) => "비밀번호 변경",
            Some(AuditEvent::RoleChange) => "역할 변경",
            Some(AuditEvent::Denied) => "거부됨",
            Some(AuditEvent::SettingsChanged) => "설정 변경",
            None => name,
        }
        .to_owned()
    },
    audit_outcome: |outcome| {
        match outcome {
            "ok" => "성공",
            "failed" => "실패",
            "denied" => "거부",
            other => other,
        }
        .to_owned()
    },
    audit_detail,

    admin_title: "관리자 콘솔",
    forced_logout_of: |username| format!("{username} 강제 로그아웃"),
    admins_only: "403 — 관리자 전용",
    admins_only_text: "이미 로그인했으므로 '누구인가'(401)의 문제가 아니라 '무엇을 할 수 있는가'의 문제입니다. 관리자 \
        콘솔에는 admin 역할이 필요합니다.",
    posts: "게시글",
    last_login: "마지막 로그인",
    make_role: |role| match role {
        Role::User => "일반 사용자로",
        Role::Admin => "관리자로 지정",
    },
    force_logout: "강제 로그아웃",
    revocation_settings: "취소 설정",
    strict_is: |on| ("엄격한 취소: ", if on { "켜짐" } else { "꺼짐" }),
    turn_strict: |on| if on { "켜기" } else { "끄기" },
    strict_hint: "꺼짐: JWT는 서명만으로 확인하므로, 강제 로그아웃 뒤에도 피해자의 액세스 토큰은 만료될 때까지 \
        동작합니다. 켜짐: JWT 요청마다 로그인도 조회하므로(쿼리 한 번, /me의 추적에 표시) 취소가 즉시 적용됩니다. 대신 \
        모든 요청이 서버 상태를 거치게 되는데, 이는 세션이 원래 하는 일입니다.",
    login_limit_label: "사용자당 동시 로그인 수 (0: 제한 없음) ",
    login_limit_hint: "제한을 넘는 로그인은 가장 오래된 로그인을 취소합니다. 세션은 레코드로 셉니다. JWT 로그인은 \
        stateless 토큰만으로는 셀 수 없어 리프레시 패밀리로만 세며, 밀려난 JWT의 액세스 토큰은 만료될 때까지 \
        살아 있습니다.",
    live_logins: "살아 있는 로그인",
    audit_trail: "감사 로그",
    any: "전체",
    filter: "필터",

    board_title: "게시판",
    board_hint:
        "로그인한 사람은 모든 글을 읽습니다. 자기 글은 수정하고 삭제할 수 있고, 관리자는 어떤 글이든 삭제할 수 \
        있지만 수정은 자기 글만 할 수 있습니다. 서버가 요청마다 이를 확인합니다.",
    new_post: "새 글",
    post_button: "올리기",
    no_posts: "아직 글이 없습니다.",
    edited: " (수정됨)",
    edit: "수정",
    delete: "삭제",

    compare_title: "세션 vs JWT, 이 서버에서 잰 값으로",
    compare_lead: "모드마다 한 열씩입니다. 모든 수치는 지금 실행 중인 이 서버에서 나옵니다. 서버 자신의 행과, 실제 \
        요청에 대한 인증 계층의 추적입니다. 이 페이지는 3초마다 다시 묻고, 그 요청 자체가 여러분 모드의 요청이므로 \
        다이어그램이 그 요청을 따라갑니다.",
    compare_viewer: |mode| format!("{mode} 방식으로 로그인했습니다. 최근 요청이 거친 단계가 색칠되어 있습니다."),
    compare_anonymous: "로그인하지 않았습니다. 각 열은 다른 사람의 요청을 보여 줍니다. 어느 방식으로든 로그인하면 \
        여러분의 요청이 보입니다.",
    race_link: "레이스 열기 →",
    compare_method: |kept, seconds| {
        format!(
            "측정 방법: 비용은 모드별 최근 {kept}개 요청에 대해 인증 계층이 직접 잰 시간입니다(최근접 순위 중앙값과 \
             95번째 백분위수). 이 서버가 {seconds}초 전에 시작한 뒤로 모았습니다. 전송 바이트는 HTTP/1.1이 보내는 요청 \
             헤더(`이름: 값`과 줄바꿈)입니다. 저장 바이트는 저장된 값 자체이며, 데이터베이스의 페이지·인덱스 부가 \
             비용은 빠져 있습니다."
        )
    },
    flow_label: |mode| format!("{mode} 방식의 단계별 흐름."),
    flow_title: |mode, node| match (mode, node) {
        (_, FlowNode::Login) => "1. 로그인",
        (AuthMode::Session, FlowNode::Issue) => "2. 서버가 레코드를 만듦",
        (AuthMode::Jwt, FlowNode::Issue) => "2. 서버가 토큰에 서명",
        (AuthMode::Session, FlowNode::Store) => "3. 브라우저가 ID를 보관",
        (AuthMode::Jwt, FlowNode::Store) => "3. 브라우저가 두 토큰을 보관",
        (_, FlowNode::Carry) => "4. 매 요청에 실어 보냄",
        (AuthMode::Session, FlowNode::Check) => "5. 서버가 저장소를 조회",
        (AuthMode::Jwt, FlowNode::Check) => "5. 서버가 서명을 검증",
        (_, FlowNode::StrictLookup) => "5b. 엄격한 취소 조회",
        (_, FlowNode::Refresh) => "5c. 투명한 갱신",
        (_, FlowNode::Revoke) => "6. 회수",
    },
    flow_detail: |mode, node| match (mode, node) {
        (_, FlowNode::Login) => "아이디 + 비밀번호, argon2id",
        (AuthMode::Session, FlowNode::Issue) => "저장소에 레코드, 새 ID",
        (AuthMode::Jwt, FlowNode::Issue) => "HS256 액세스 토큰 + 리프레시 행",
        (AuthMode::Session, FlowNode::Store) => "HttpOnly 쿠키 authlab_sid",
        (AuthMode::Jwt, FlowNode::Store) => "HttpOnly authlab_at, authlab_rt",
        (AuthMode::Session, FlowNode::Carry) => "Cookie: authlab_sid=… (불투명)",
        (AuthMode::Jwt, FlowNode::Carry) => "authlab_at 쿠키나 Bearer 헤더",
        (AuthMode::Session, FlowNode::Check) => "저장소 조회 + 사용자 행",
        (AuthMode::Jwt, FlowNode::Check) => "서명과 exp·iss·aud 검사, 조회 없음",
        (_, FlowNode::StrictLookup) => "로그인이 아직 유효한가? (켠 경우)",
        (_, FlowNode::Refresh) => "만료됨: 리프레시 토큰 사용",
        (AuthMode::Session, FlowNode::Revoke) => "레코드 삭제: 즉시 401",
        (AuthMode::Jwt, FlowNode::Revoke) => "패밀리 취소: 토큰은 계속 유효",
    },
    flow_refused: "거부됨",
    flow_no_request: "이 모드의 요청이 아직 없습니다.",
    flow_walked: |yours, walked| {
        if yours {
            format!("여러분의 최근 요청: {walked}.")
        } else {
            format!("이 모드의 최근 요청(여러분의 것이 아님): {walked}.")
        }
    },
    holds_nothing: |mode| format!("이 브라우저에는 {mode} 자격 증명이 없습니다."),
    cookie_total: |bytes| format!("모두 {bytes}바이트."),
    jwt_parts: |header, payload, signature| {
        format!("토큰은 base64url 세 부분입니다. 헤더 {header} B, 페이로드 {payload} B, 서명 {signature} B.")
    },
    base64_not_encryption: "토큰을 가진 사람은 누구나 읽을 수 있습니다. base64url은 인코딩이지 암호화가 아닙니다. \
        서명은 서버가 썼다는 것만 증명합니다.",
    stored_what: "무엇",
    rows: "행",
    stored_kind: |kind| match kind {
        StoredKind::SessionRecords => "세션 레코드(저장소)",
        StoredKind::SessionIndex => "로그인 색인(session_logins)",
        StoredKind::RefreshFamilies => "리프레시 패밀리",
        StoredKind::RefreshTokens => "리프레시 토큰 해시",
    },
    per_login: |logins, bytes| {
        format!(
            "유효한 로그인 {logins}개. 서버는 로그인당 {bytes} B를 보관하므로(남겨 둔 행 포함) 로그인 1,000개에 약 {} KB.",
            bytes * 1000 / 1024
        )
    },
    no_live_logins: "지금 이 모드의 유효한 로그인이 없습니다.",
    stored_note: |mode| match mode {
        AuthMode::Session => "요청마다 레코드를 읽습니다. 로그아웃한 세션의 레코드는 즉시 삭제됩니다.",
        AuthMode::Jwt => {
            "액세스 토큰에 대해서는 아무것도 저장하지 않습니다. 취소된 패밀리와 이미 쓴 리프레시 토큰은 \
            만료될 때까지 남아, 재사용된 리프레시 토큰을 알아봅니다."
        }
    },
    on_the_wire: "전송되는 바이트",
    latest_request: |yours, request| {
        if yours {
            format!("여러분의 최근 요청({request}):")
        } else {
            format!("이 모드의 최근 요청({request}, 여러분의 것이 아님):")
        }
    },
    wire_bytes: |credential, headers| format!("헤더 {headers} B 중 자격 증명 헤더 {credential} B."),
    no_request_yet: "이 모드의 요청이 아직 없습니다.",
    check_cost: "확인에 드는 비용",
    auth_layer_cost: "인증 계층",
    strict_lookup_cost: "엄격한 취소 조회만",
    percentiles: |median, p95, samples| format!("요청 {samples}개에서 중앙값 {median} µs, p95 {p95} µs"),
    wire_title: "JWT가 트래픽을 늘리는가?",
    wire_ratio: |same, headers, credential| {
        format!(
            "모드별 최근 {} 요청에서 잰 값: JWT 요청의 헤더는 {} B, 세션 요청은 {} B로 {headers:.2}배입니다. 자격 증명만 \
             보면 {} B 대 {} B로 {credential:.2}배입니다.",
            same.request,
            same.jwt_header_bytes,
            same.session_header_bytes,
            same.jwt_credential_bytes,
            same.session_credential_bytes
        )
    },
    wire_needs_both: "비율을 내려면 두 모드에서 같은 요청이 있어야 합니다. 두 방식으로 각각 로그인해 이 페이지를 \
        열거나(브라우저 두 개), 두 클라이언트가 모두 GET /api/me를 요청하는 레이스를 시작하세요.",
    wire_reason_measured: |payload, signature, refresh| {
        format!(
            "이유: 세션 쿠키는 ID일 뿐이지만 JWT는 클레임(페이로드 {payload} B)과 서명({signature} B)을 싣고 다니며, 이 \
             브라우저에서는 리프레시 쿠키({refresh} B)도 매 요청에 함께 갑니다. 페이지 전체를 받을 때는 본문이 훨씬 \
             크므로, \"트래픽 50% 증가\"는 아주 작은 API 호출에서만 맞는 말입니다."
        )
    },
    wire_reason_general: |bytes| {
        format!(
            "이유: 세션 쿠키는 ID일 뿐이지만 JWT는 클레임과 서명을 싣고 다니며(그 요청의 자격 증명 헤더 {bytes} B), \
             브라우저는 리프레시 쿠키도 매 요청에 함께 보냅니다."
        )
    },
    trade_title: "장단점, 이 서버의 답으로",
    trade_question: "질문",
    trade_see: "확인하기",
    trade_experiment: "실험",
    trade_run_it: "Lab에서 실행",
    trade_row: |row| match row {
        "size" => "요청당 자격 증명 크기",
        "state" => "상태가 있는 곳",
        "forced_logout" => "강제 로그아웃",
        "role_change" => "역할 변경",
        "servers" => "서버 여러 대",
        "login_limit" => "동시 로그인 제한",
        "csrf" => "CSRF 노출",
        "xss" => "XSS 노출",
        _ => "",
    },
    trade_link: |link| match link {
        "#wire" => "전송되는 바이트",
        "#stored-session" | "#stored-jwt" => "서버가 저장하는 것",
        "/compare/race" => "레이스",
        "/admin" => "관리자 콘솔",
        _ => "내 정보",
    },
    trade_size: |_, bytes| match bytes {
        Some(bytes) => format!("최근 요청에서 {bytes} B"),
        None => "아직 측정하지 않음".into(),
    },
    trade_state: |mode, per_login, store| match (mode, per_login) {
        (AuthMode::Session, Some(bytes)) => format!("서버({store}): 로그인당 {bytes} B"),
        (AuthMode::Session, None) => format!("서버({store})"),
        (AuthMode::Jwt, Some(bytes)) => format!("토큰 안. 서버는 리프레시 행만 보관: 로그인당 {bytes} B"),
        (AuthMode::Jwt, None) => "토큰 안. 서버는 리프레시 행만 보관".into(),
    },
    trade_logout: |mode, facts| match mode {
        AuthMode::Session => "즉시: 레코드를 지우면 다음 요청이 401".into(),
        AuthMode::Jwt if facts.strict_revocation => {
            "즉시. 엄격한 취소가 켜져 있기 때문(요청마다 조회: 다시 상태)".into()
        }
        AuthMode::Jwt => format!(
            "최대 {}초 뒤: 액세스 토큰은 exp({}초)에 여유 시간 {}초를 더한 때까지 유효",
            facts.access_ttl + facts.leeway,
            facts.access_ttl,
            facts.leeway
        ),
    },
    trade_role: |mode, facts| match mode {
        AuthMode::Session => "다음 요청에서: 역할을 데이터베이스에서 읽음".into(),
        AuthMode::Jwt => format!(
            "다음 갱신 때, 최대 {}초 뒤: 역할은 서명된 클레임",
            facts.access_ttl + facts.leeway
        ),
    },
    trade_servers: |mode, facts| match mode {
        AuthMode::Session => format!("모든 서버가 같은 저장소를 써야 함(여기서는 {})", facts.session_store),
        AuthMode::Jwt => "키가 있는 서버는 어디서나 검증. 갱신과 엄격한 취소에는 공유 데이터베이스가 필요".into(),
    },
    trade_limit: |limit| match limit {
        0 => "여기서는 꺼짐. 어느 쪽이든 서버 상태(레코드나 리프레시 패밀리)를 셈".into(),
        limit => format!("여기서는 사용자당 {limit}개. 두 모드 모두 서버 상태로 셈"),
    },
    trade_csrf: (
        "쿠키가 매 요청에 따라감: SameSite=Lax와 출처 검사가 교차 사이트 POST를 막음",
        "브라우저에서는 같음(여기서는 쿠키). Bearer 헤더는 다른 사이트가 보낼 수 없음",
    ),
    trade_xss: (
        "HttpOnly: 페이지 스크립트가 ID를 읽을 수는 없지만, 페이지가 열린 동안 사용자로 행동할 수 있음",
        "여기서도 HttpOnly. localStorage에 둔 토큰이라면 어떤 스크립트든 읽을 수 있음",
    ),

    race_title: "레이스: 세션 vs JWT, 실시간",
    race_lead: |user, ttl, leeway| {
        format!(
            "이 서버 안의 데모 클라이언트 둘이 {user}로, 하나는 세션으로 하나는 JWT로 로그인해 1초마다 \
             루프백으로 이 서버에 실제 HTTP 요청 GET /api/me를 보냅니다. 액세스 토큰의 수명은 {ttl}초입니다(시계 오차 여유 {leeway}초 추가). \
             강제 로그아웃을 하고 역할을 바꾸고, 각 흐름이 어떻게 반응하는지 보세요."
        )
    },
    race_admins_only: "레이스는 관리자만 시작하고 조종할 수 있습니다.",
    race_controls: "레이스 조작",
    race_start: "레이스 시작",
    race_restart: "레이스 다시 시작",
    race_stop: "멈추기",
    race_promote: "관리자로 승격",
    race_demote: "사용자로 강등",
    race_strict: |on| {
        if on {
            "엄격한 취소 켜기"
        } else {
            "엄격한 취소 끄기"
        }
    },
    race_running: |seconds, max| format!("{seconds}초째 진행 중({max}초가 지나거나 아무도 보지 않으면 저절로 멈춤)."),
    race_stopped: |reason| match reason {
        RaceStop::ByPresenter => "멈췄습니다.".into(),
        RaceStop::Unwatched => "멈춤: 아무도 보고 있지 않았습니다.".into(),
        RaceStop::TimeUp => "멈춤: 가장 긴 진행 시간에 이르렀습니다.".into(),
        RaceStop::Failed => "멈춤: 데모 클라이언트가 로그인하지 못했습니다.".into(),
    },
    race_not_started: "아직 레이스가 없습니다. 시작하세요.",
    race_role_now: "데이터베이스의 역할:",
    race_last_tick: |tick| {
        let what = match tick.outcome {
            TickOutcome::Accepted => "수락",
            TickOutcome::Refused => "거부",
            TickOutcome::AcceptedAfterRevocation => "로그인이 취소되었는데도 수락",
        };
        let role = tick
            .role
            .map(|role| {
                format!(
                    ", 역할 {}",
                    if role == crate::model::Role::Admin {
                        "관리자"
                    } else {
                        "사용자"
                    }
                )
            })
            .unwrap_or_default();
        let error = tick
            .error
            .as_deref()
            .map(|code| format!(" ({code})"))
            .unwrap_or_default();
        let refreshed = if tick.refreshed { ", 갱신 후" } else { "" };
        format!(
            "{} ({:.1}초): {what}{role}{error}{refreshed}",
            tick.status,
            tick.at_ms as f64 / 1000.0
        )
    },
    race_no_ticks: "아직 요청 없음",
    race_token_ends: "여기부터 토큰 거부",
    race_action: |action| match action {
        RaceAction::ForceLogout => "강제 로그아웃",
        RaceAction::Promote => "승격",
        RaceAction::Demote => "강등",
        RaceAction::StrictOn => "엄격한 취소 켬",
        RaceAction::StrictOff => "엄격한 취소 끔",
    },
    race_timeline_label: |session, jwt| {
        let count =
            |lane: &crate::model::race::RaceLane, outcome| lane.ticks.iter().filter(|t| t.outcome == outcome).count();
        format!(
            "타임라인. 세션: 수락 {}, 거부 {}. JWT: 수락 {}, 취소 후 수락 {}, 거부 {}.",
            count(session, TickOutcome::Accepted),
            count(session, TickOutcome::Refused),
            count(jwt, TickOutcome::Accepted),
            count(jwt, TickOutcome::AcceptedAfterRevocation),
            count(jwt, TickOutcome::Refused)
        )
    },
    legend_accepted: "200",
    legend_refused: "401",
    legend_after_revocation: "취소 후 200",
    legend_admin: "관리자로 응답",
    legend_refreshed: "갱신 후",
    race_reactions: "각 흐름이 알아차리기까지 걸린 시간",
    race_what: "동작",
    race_when: "시각",
    race_after: |ms| format!("{:.1}초 뒤", ms as f64 / 1000.0),
    race_at: |ms| format!("{:.1}초", ms as f64 / 1000.0),
    race_not_yet: "아직",
    race_explained: |ttl, leeway| {
        format!(
            "이유: 세션 클라이언트의 요청은 매번 저장소에서 조회되므로, 지워진 레코드나 새 역할이 다음 요청에 바로 \
             드러납니다. JWT 클라이언트의 토큰은 역할을 싣고 다니며 서명만으로 확인되므로, exp(발급 {ttl}초 뒤, 서버 \
             간 시계 차이를 위한 여유 {leeway}초 추가)까지 계속 수락됩니다. 그 뒤 갱신이 실패하거나, 승격 뒤라면 새 \
             역할이 담긴 토큰을 받습니다. 엄격한 취소는 조회를, 그리고 그와 함께 서버 상태를 되돌려 놓습니다."
        )
    },
    lab_title: "실험실: 예측하고, 실행하고, 확인하기",
    lab_lead: "실험마다 이 서버에 실제 요청을 보내고, 무엇을 보냈고 무엇이 돌아왔는지 그대로 보여 줍니다. 먼저 \
        예측한 뒤 실행하세요. 점수는 이 브라우저에만 남습니다.",
    lab_score: |right, total| format!("맞힌 예측: {total}개 중 {right}개"),
    lab_score_reset: "점수 다시 시작",
    lab_naive_title: "허술한 검증기 일곱 개와 이 앱의 검증기",
    lab_naive_lead: "공격마다 role: admin이라고 적힌 토큰을 위조합니다. 이 토큰을 실험실 페이지 하나만 지키는 허술한 \
        검증기에 보내고, 이 앱의 클레임으로 만든 같은 위조 토큰을 실제 인증 계층에 보냅니다.",
    lab_predict_naive: "허술한 검증기는…",
    lab_predict_real: "이 앱의 검증기는…",
    lab_guess_let_in: "들여보낸다",
    lab_guess_refuse: "거부한다",
    lab_run: "실행",
    lab_forged: "위조한 토큰(누구나 읽을 수 있음)",
    lab_recovered: |secret, tried| {
        format!("사전 공격이 단어 {tried}개를 시도한 끝에 비밀 키 \"{secret}\"를 찾았습니다.")
    },
    lab_naive_side: "허술한 검증기",
    lab_real_side: "이 앱",
    lab_let_in: "관리자로 들여보냄.",
    lab_refused: "거부됨.",
    flaw_title: |flaw| match flaw {
        Flaw::DecodeOnly => "디코딩은 검증이 아니다",
        Flaw::AlgNone => "alg: none",
        Flaw::WeakSecret => "사전에 있는 비밀 키",
        Flaw::EmbeddedJwk => "토큰의 jwk 헤더에 든 키",
        Flaw::Jku => "토큰이 가리키는 키 세트(jku)",
        Flaw::KidPath => "파일 경로로 쓰인 kid",
        Flaw::AlgConfusion => "알고리즘 혼동: RS256 공개 키를 HS256 비밀 키로",
    },
    flaw_claim: |flaw| match flaw {
        Flaw::DecodeOnly => {
            "페이로드를 디코딩만 하는 검증기는 어떤 페이로드든 받아들입니다. role을 admin으로 바꾸고 \
            예전 서명을 그대로 두면 됩니다."
        }
        Flaw::AlgNone => "토큰이 알고리즘을 정하게 두는 검증기는 서명이 아예 없는 alg: none 토큰을 받아들입니다.",
        Flaw::WeakSecret => {
            "흔한 단어로 된 HS256 비밀 키는 실제 토큰 하나에 사전을 대입해 보면 찾아집니다. 그러면 누구나 \
            서명할 수 있습니다."
        }
        Flaw::EmbeddedJwk => "토큰의 jwk 헤더에서 키를 꺼내 쓰는 검증기는 공격자의 서명을 공격자의 키로 확인합니다.",
        Flaw::Jku => "토큰의 jku 헤더가 가리키는 키 세트를 받아 오는 검증기는 공격자의 키를 받아 옵니다.",
        Flaw::KidPath => {
            "kid가 가리키는 파일에서 키를 읽는 검증기는 빈 파일을 가리키게 할 수 있습니다. 그러면 키는 \
            비어 있고, 누구나 압니다."
        }
        Flaw::AlgConfusion => {
            "RSA 공개 키로 확인하되 토큰이 정한 알고리즘을 쓰는 검증기는, 토큰이 HS256이라고 하면 그 \
            공개 키를 HMAC 비밀 키로 씁니다."
        }
    },
    flaw_rule: |flaw| match flaw {
        Flaw::DecodeOnly | Flaw::WeakSecret => {
            "규칙: 모든 토큰의 서명을 32바이트 이상의 무작위 비밀 키로 확인한다 \
            (src/auth/jwt.rs, JwtKeys::validate)."
        }
        Flaw::AlgNone | Flaw::AlgConfusion => {
            "규칙: 알고리즘 목록은 HS256 하나로 고정하고, 토큰의 alg는 절대 믿지 \
            않는다(src/auth/jwt.rs, JwtKeys::rotated)."
        }
        Flaw::EmbeddedJwk | Flaw::Jku | Flaw::KidPath => {
            "규칙: 키는 절대 토큰에서 가져오지 않는다. kid는 이 서버의 두 \
            키 중 하나만 가리킬 수 있고, jwk·jku·x5u는 따르지 않는다(src/auth/jwt.rs, JwtKeys::key_for)."
        }
    },
    flaw_lesson: |flaw| match flaw {
        Flaw::DecodeOnly => {
            "JWT의 페이로드는 누구나 읽을 수 있고, 믿을 근거는 서명뿐입니다. 검증해야 할 곳에서 디코딩 \
            함수를 부르는 코드는 클라이언트가 쓴 것을 무엇이든 믿습니다."
        }
        Flaw::AlgNone => "토큰은 공격자의 입력이고, 헤더도 마찬가지입니다. 알고리즘은 검증기가 스스로 정해야 합니다.",
        Flaw::WeakSecret => {
            "HMAC 비밀 키는 오프라인에서 기계가 해시하는 속도로 시험해 볼 수 있는 비밀번호입니다. 사람이 \
            고른 값이 아니라 길고 무작위여야 합니다."
        }
        Flaw::EmbeddedJwk => {
            "서명은 키를 가진 사람이 서명했다는 것만 증명합니다. 토큰이 키를 가져오면 아무것도 \
            증명하지 못합니다."
        }
        Flaw::Jku => {
            "토큰 안의 URL에서 키를 받아 오면, 누구를 믿을지를 토큰이 고르게 됩니다. 이 실험실은 루프백에 있는 \
            자기 공격자 키 세트만 받아 옵니다."
        }
        Flaw::KidPath => {
            "kid는 경로로 쓰인 공격자의 입력입니다. 여기서는 실험실의 울타리가 샌드박스 폴더 안에 가두지만, \
            실제 서버라면 시키는 대로 어떤 파일이든 읽을 것입니다."
        }
        Flaw::AlgConfusion => {
            "공개 키는 공개되어 있습니다. 토큰이 HS256을 고르게 두는 검증기는 그 키를 공격자가 이미 가진 \
            공유 비밀로 바꿔 버립니다."
        }
    },
    lab_checks_title: "이 앱의 검증기가 확인하는 것",
    lab_checks_lead:
        "아래 토큰은 모두 실험실 사용자(lab.demo)의 실제 로그인에서 만든 뒤 한 가지씩 망가뜨려 GET /api/me로 \
        보냅니다. 어떤 검사가 거부했는지는 인증 계층의 추적이 직접 알려 줍니다.",
    lab_sent_token: "보낸 토큰(누구나 읽을 수 있음)",
    lab_accepted: "수락됨.",
    check_title: |check| match check {
        TokenCheck::TamperedPayload => "다시 서명하지 않은 role: admin",
        TokenCheck::AlgNone => "alg: none",
        TokenCheck::Hs512SameKey => "이 서버의 키로 HS512 서명",
        TokenCheck::OtherKey => "다른 키로 서명",
        TokenCheck::Expired => "exp가 지남",
        TokenCheck::NotYetValid => "미래의 nbf",
        TokenCheck::RefreshAsAccess => "액세스 토큰 자리에 리프레시 토큰",
    },
    check_claim: |check| match check {
        TokenCheck::TamperedPayload => "페이로드의 role을 admin으로 바꾸고 서명은 그대로 둡니다. 서버가 알아챌까요?",
        TokenCheck::AlgNone => "이 토큰은 서명이 필요 없다고 적습니다.",
        TokenCheck::Hs512SameKey => "맞는 키로 서명하되, HS256 대신 HS512로 서명합니다.",
        TokenCheck::OtherKey => "형식은 맞지만, 이 서버가 가진 적 없는 키로 서명한 토큰입니다.",
        TokenCheck::Expired => "이 서버가 발급한 진짜 토큰이지만 exp가 1분 전에 지났습니다.",
        TokenCheck::NotYetValid => "이 서버가 발급한 진짜 토큰이지만 한 시간 뒤부터 유효하다고 적혀 있습니다.",
        TokenCheck::RefreshAsAccess => "액세스 토큰 자리에 리프레시 토큰을 보냅니다.",
    },
    check_lesson: |check| match check {
        TokenCheck::TamperedPayload => {
            "서명은 헤더와 페이로드를 모두 덮습니다. 한 바이트만 바뀌어도 맞지 않습니다. JWT는 \
            누구나 읽을 수 있지만, 바꿀 수 있는 것은 키를 가진 쪽뿐입니다."
        }
        TokenCheck::AlgNone => "알고리즘은 이 서버가 스스로 정합니다. 토큰이 검사를 끌 수는 없습니다.",
        TokenCheck::Hs512SameKey => {
            "맞는 키라도 목록에 없는 알고리즘은 거부됩니다. 목록은 고정되어 있고 토큰에서 \
            가져오지 않습니다."
        }
        TokenCheck::OtherKey => "키가 없으면 올바른 서명도 없습니다. 키는 서버 밖으로 나가지 않습니다.",
        TokenCheck::Expired => {
            "exp는 훔친 토큰이 얼마나 오래 통하는지를 제한합니다. exp(와 시계 차이를 위한 여유 5초)가 \
            지나면 서명과 상관없이 거부됩니다."
        }
        TokenCheck::NotYetValid => "nbf는 토큰에 들어 있으면 언제나 검사합니다.",
        TokenCheck::RefreshAsAccess => {
            "여기서 리프레시 토큰은 JWT가 아니라 서버에 (해시로) 보관하는 불투명한 무작위 \
            문자열입니다. 리프레시 엔드포인트에서 한 번 쓰이고 끝날 뿐, 다른 것은 아무것도 열지 못합니다."
        }
    },
    lab_replays_title: "다시 쓰기: 로그아웃 뒤, 교체 뒤, 로그인 전에 심어 두기",
    lab_replays_lead:
        "실행할 때마다 실험실 사용자로 새로 로그인하므로, 여러분의 로그인은 건드리지 않습니다. 예측할 것은 \
        마지막 요청입니다.",
    lab_predict_replay: "마지막 요청은…",
    lab_replay_accepted: "수락됨.",
    lab_replay_refused: "거부됨.",
    lab_valid_for: |seconds| format!("서버는 이 토큰을 앞으로 {seconds}초 더 받아들입니다."),
    replay_title: |replay| match replay {
        Replay::SessionAfterLogout => "로그아웃 뒤의 세션 쿠키",
        Replay::JwtAfterLogout => "로그아웃 뒤의 액세스 토큰",
        Replay::RefreshReuse => "이미 쓴 리프레시 토큰을 다시 내밀기",
        Replay::SessionFixation => "로그인 전에 심어 둔 세션 ID",
    },
    replay_claim: |replay| match replay {
        Replay::SessionAfterLogout => "세션으로 로그인하고 로그아웃한 뒤, 예전 쿠키를 다시 보냅니다.",
        Replay::JwtAfterLogout => "JWT로 로그인하고 로그아웃한 뒤, 예전 액세스 토큰을 다시 보냅니다.",
        Replay::RefreshReuse => {
            "한 번 갱신해(리프레시 토큰이 교체됨) 놓고, 복사해 둔 도둑처럼 예전 리프레시 토큰을 다시 \
            내밉니다."
        }
        Replay::SessionFixation => "공격자가 고른 세션 ID를 보내며 로그인한 뒤, 그 ID로 요청해 봅니다.",
    },
    replay_lesson: |replay, strict| match (replay, strict) {
        (Replay::SessionAfterLogout, _) => {
            "로그아웃이 레코드를 지웠으므로 그 ID는 이제 아무것도 가리키지 않습니다. 서버가 \
            세션을 쥐고 있으니 회수는 즉시입니다."
        }
        (Replay::JwtAfterLogout, false) => {
            "로그아웃은 리프레시 패밀리를 취소했지만, 액세스 토큰은 어디에도 저장되어 있지 \
            않습니다. 서명이 여전히 맞으므로 exp(와 여유 시간)까지 통합니다. /admin에서 엄격한 취소를 켜고 다시 \
            실행해 보세요."
        }
        (Replay::JwtAfterLogout, true) => {
            "엄격한 취소가 켜져 있습니다. 토큰마다 로그인을 조회하므로 취소된 로그인은 바로 \
            거부됩니다. 대가는 요청마다의 조회, 곧 다시 상태입니다."
        }
        (Replay::RefreshReuse, _) => {
            "리프레시 토큰은 한 번만 씁니다. 이미 쓴 토큰이 돌아오면 두 보유자 중 하나는 \
            도둑이지만 서버는 누구인지 알 수 없으므로, 패밀리 전체를 취소합니다. 그래서 정당한 새 토큰도 함께 \
            죽습니다."
        }
        (Replay::SessionFixation, _) => {
            "로그인이 새 세션 ID를 발급했으므로(로그인 때 교체) 심어 둔 ID는 한 번도 로그인된 \
            적이 없습니다. ID를 심어 둔 공격자는 아무것도 얻지 못합니다."
        }
    },
    lab_propagation_title: "변경이 각 방식에 닿기까지",
    lab_propagation_lead: "실행할 때마다 데모 사용자가 세션과 JWT로 한 번씩 로그인하고, 서버에서 그 사용자에게 변경을 \
        하나 가한 뒤, 두 클라이언트가 변경을 볼 때까지 0.5초마다 GET /api/me를 요청합니다. 시간은 요청 하나하나로 잰 \
        값입니다.",
    propagation_title: |experiment| match experiment {
        Propagation::ForcedLogout => "강제 로그아웃",
        Propagation::RoleChange => "역할 변경 (user → admin)",
    },
    propagation_claim: |experiment| match experiment {
        Propagation::ForcedLogout => "관리자가 사용자의 모든 로그인을 끊습니다. 각 클라이언트는 언제 거부될까요?",
        Propagation::RoleChange => "관리자가 사용자를 admin으로 올립니다. 각 클라이언트는 언제 admin으로 동작할까요?",
    },
    lab_predict_session: "세션 클라이언트가 알아채는 때는…",
    lab_predict_jwt: "JWT 클라이언트가 알아채는 때는…",
    lab_guess_at_once: "바로 다음 요청",
    lab_guess_later: "액세스 토큰이 만료될 때",
    lab_propagation_takes:
        "두 클라이언트 모두 변경을 보일 때까지 실행합니다. 길어야 데모 토큰의 수명에 허용 오차를 더한 \
        만큼입니다.",
    lab_propagation_running: "실행 중: 두 클라이언트가 0.5초마다 요청하고 있습니다…",
    propagation_took: |ms, at_once| {
        let when = if at_once {
            "바로 다음 요청"
        } else {
            "이후의 요청"
        };
        format!("변경 {:.1}초 후 ({when})", ms as f64 / 1000.0)
    },
    propagation_lesson: |experiment, strict, ttl, leeway| match (experiment, strict) {
        (Propagation::ForcedLogout, false) => format!(
            "세션 클라이언트는 바로 다음 요청에서 거부되었습니다. 레코드가 지워졌고, 요청마다 그 레코드를 조회하기 \
             때문입니다. JWT 클라이언트는 토큰이 만료될 때까지(수명 {ttl}초, 허용 오차 {leeway}초) 계속 응답을 \
             받았습니다(주황). 그다음 리프레시가 거부된 것은 리프레시 패밀리가 서버 상태이기 때문입니다. /admin에서 \
             엄격한 취소를 켜고 다시 실행해 보세요."
        ),
        (Propagation::ForcedLogout, true) => format!(
            "엄격한 취소가 켜져 있습니다. JWT 요청마다 로그인을 조회하므로 두 클라이언트 모두 바로 거부되었습니다. 그 \
             조회는 세션처럼 요청마다 필요한 상태입니다. 엄격한 취소가 없으면 토큰은 최대 {ttl}초(허용 오차 \
             {leeway}초 더) 살아 있습니다."
        ),
        (Propagation::RoleChange, _) => format!(
            "세션 클라이언트는 바로 다음 요청에서 admin으로 동작했습니다. 서버가 요청마다 users 테이블에서 역할을 \
             읽기 때문입니다. JWT 클라이언트의 토큰에는 만료될 때까지({ttl}초, 허용 오차 {leeway}초) 서명된 채로 \
             role: user가 적혀 있고, 리프레시로 받은 새 토큰에야 admin이 적힙니다. 강등도 똑같이 느리며, 그쪽이 \
             위험한 방향입니다."
        ),
    },
    lab_browser_title: "이 브라우저에서",
    lab_browser_lead: "이 두 실험은 여기, 여러분의 브라우저에서 실제 쿠키와 실제 다른 사이트의 페이지로 실행됩니다.",
    lab_guess_yes: "예",
    lab_guess_no: "아니요",
    lab_script_title: "페이지 스크립트가 읽을 수 있는 것",
    lab_script_claim:
        "이 페이지의 스크립트(여러분의 것이든 공격자가 주입한 것이든)가 document.cookie와 localStorage를 \
        읽습니다. 로그인 쿠키는 HttpOnly이고, localStorage에 둔 토큰은 아무런 보호도 받지 못합니다. 실제 토큰 대신 \
        무해한 데모 토큰을 씁니다.",
    lab_predict_script_cookie: "스크립트가 로그인 쿠키를 볼 수 있을까요?",
    lab_predict_script_storage: "스크립트가 localStorage의 토큰을 읽을 수 있을까요?",
    lab_script_server_saw: "이 페이지의 요청과 함께 서버가 받은 쿠키:",
    lab_script_no_login: "로그인하지 않아서 이 브라우저에는 로그인 쿠키가 없습니다. 어느 방식으로든 로그인한 뒤 다시 \
        실행하면 HttpOnly가 어떻게 동작하는지 볼 수 있습니다.",
    lab_script_sees: "스크립트가 로그인 쿠키를 읽을 수 있습니다.",
    lab_script_hidden: "로그인 쿠키는 스크립트에 보이지 않습니다: HttpOnly.",
    lab_script_lesson:
        "HttpOnly는 자격 증명을 어떤 스크립트도 닿지 못하는 곳에 두므로, XSS 취약점이 있어도 쿠키를 훔칠 \
        수 없습니다(여러분이 페이지에 있는 동안 그 페이지에서 요청을 보낼 수는 있습니다). localStorage의 토큰은 \
        스크립트 한 줄이면 공격자의 서버로 넘어갑니다. 그래서 이 앱은 브라우저에서 JWT를 HttpOnly 쿠키에 두고, 그 \
        대가로 CSRF를 아래의 출처 검사로 막습니다.",
    lab_csrf_title: "다른 사이트의 폼 POST (CSRF)",
    lab_csrf_claim:
        "다른 사이트의 페이지가 이 앱의 상태를 바꾸는 경로로 숨은 폼을 제출하면서, 브라우저가 로그인 쿠키를 \
        붙여 주기를 노립니다. 여기서 다른 사이트는 같은 서버를 다른 루프백 이름으로 연 것입니다(브라우저에게 \
        localhost와 127.0.0.1은 서로 다른 사이트입니다).",
    lab_predict_csrf_accepted: "다른 사이트의 POST는…",
    lab_predict_csrf_cookie: "로그인 쿠키가 함께 갈까요?",
    lab_guess_accepted: "수락된다",
    lab_guess_refused: "거부된다",
    lab_csrf_open: "다른 사이트 열기 (새 탭)",
    lab_csrf_same_site: "같은 폼을 이 페이지에서 보내기",
    lab_csrf_no_second_origin: "이 실험에는 두 번째 로컬 사이트가 필요합니다. Lab을 http://127.0.0.1:<포트> 또는 \
        http://localhost:<포트>로 여세요(서로가 서로의 두 번째 사이트입니다).",
    lab_csrf_steps:
        "예측하고, 다른 사이트를 연 다음, 이 탭으로 돌아오세요. 서버가 본 것이 여기에 나타납니다. 비교하려면 \
        같은 폼을 이 페이지에서도 보내 보세요.",
    lab_csrf_waiting: "폼이 도착하기를 기다리는 중…",
    lab_csrf_from_other: "다른 사이트에서",
    lab_csrf_from_here: "이 페이지에서",
    lab_csrf_refused_by_origin: "출처 검사에서 거부되었습니다(403 csrf). 그 밖의 어떤 처리도 실행되지 않았습니다.",
    lab_csrf_reached: "경로에 도달했습니다.",
    lab_csrf_cookie_went: "로그인 쿠키가 함께 갔습니다.",
    lab_csrf_cookie_stayed: "로그인 쿠키는 함께 가지 않았습니다.",
    lab_csrf_lesson: "방어가 둘이고, 여기서는 각각 하나만으로도 충분합니다. SameSite=Lax가 쿠키를 붙이지 않았습니다. \
        브라우저는 다른 사이트의 POST에 쿠키를 붙이지 않습니다. 출처 검사도 요청을 거부했습니다(Sec-Fetch-Site: \
        cross-site). 출처 검사는 SameSite가 막지 못하는 경우도 막습니다. 같은 사이트의 형제(다른 포트나 서브도메인), \
        오래된 브라우저, SameSite 없이 설정된 쿠키가 그렇습니다. 헤더에 담긴 Bearer 토큰은 어떤 폼도 보내지 \
        못하므로, 토큰으로 쓰는 API는 CSRF에 노출되지 않습니다.",
    attacker_title: "다른 사이트",
    attacker_lead: |here, target| {
        format!(
        "이 페이지는 {here}에서 제공됩니다. 브라우저에게 이곳은 {target}과 다른 사이트입니다. 공격자의 페이지처럼요."
    )
    },
    attacker_sent: |action| format!("이 페이지는 열리자마자 다음 숨은 폼을 {action}(으)로 제출했습니다:"),
    attacker_again: "다시 보내기",
    attacker_back: "이제 Lab 탭으로 돌아가세요. 서버가 본 것이 나와 있습니다.",
    guide_title: "스터디 가이드: 한 시간에 보는 세션 vs 토큰",
    guide_lead: "논쟁의 주장마다 한 단계씩, 모두 아홉 단계입니다. 단계마다 주장이 무엇인지, 어느 실험이 그것을 \
        검증하는지, 무엇을 볼지, 함께 토론할 질문을 적었습니다. 실행하기 전에 먼저 예측하세요. Lab이 브라우저마다 \
        점수를 기록하므로 마지막에 서로 비교할 수 있습니다.",
    guide_how: "노트북 한 대를 프로젝터에 연결해 진행해도 되고, 모두가 각자의 휴대폰이나 노트북으로 같은 서버에 \
        접속해도 됩니다. 브라우저만 있으면 됩니다. 단계에서 요구하면 세션으로 한 번, JWT로 한 번 로그인하세요(브라우저 \
        두 개, 또는 하나로 차례로).",
    guide_print: "이 가이드 인쇄하기",
    guide_plan: "한눈에 보는 한 시간",
    guide_step_col: "단계",
    guide_minutes_col: "시간",
    guide_from_col: "시작",
    guide_minutes: |minutes| format!("{minutes}분"),
    guide_claim_label: "주장",
    guide_try_label: "실험",
    guide_look_label: "볼 것",
    guide_question_label: "토론",
    guide_step: |step| match step {
        GuideStep::Stateless => GuideText {
            title: "HTTP는 기억하지 않는다: 자격 증명이 필요한 이유",
            claim: "HTTP는 무상태입니다. 요청 하나하나가 독립적이므로, 로그인 후의 모든 요청은 누가 보냈는지 증명을 \
                실어야 합니다. 서버 상태를 가리키는 세션 ID, 또는 클레임을 담은 서명된 토큰입니다.",
            look_for: "/compare에서 각 방식의 흐름과 여러분의 요청이 지나간 상자를 보세요. Lab에서는 페이로드에 \
                admin이라고 적은 토큰을 보내고 어느 검사가 거부하는지 보세요.",
            question: "서버가 아무것도 기억하지 않는다면 로그아웃은 무엇을 뜻할까요?",
        },
        GuideStep::Storage => GuideText {
            title: "각 방식이 저장하는 것과 그 위치",
            claim: "세션은 서버에 상태를 두고 브라우저에는 ID만 줍니다. JWT는 클레임을 토큰에 담고 서버에는 (거의) \
                아무것도 두지 않습니다.",
            look_for: "/compare에서 세션 행과 로그인당 바이트, JWT 열의 리프레시 패밀리를 보세요. 그다음 세션 고정 \
                실험: 로그인할 때 새 ID를 발급하므로 심어 둔 ID는 절대 채택되지 않습니다.",
            question: "이 앱의 JWT 방식도 로그인마다 리프레시 패밀리를 저장합니다. 그래도 '무상태'일까요?",
        },
        GuideStep::Traffic => GuideText {
            title: "트래픽: 자격 증명의 바이트 비용",
            claim: "토큰은 모든 요청을 크게 만든다(\"트래픽이 50% 정도 늘어난다\").",
            look_for: "/compare에서 같은 요청을 두 방식으로 보냈을 때의 자격 증명 헤더 바이트와 전체 요청 헤더 \
                바이트(이 서버에서 잰 값), 그리고 차이가 나는 이유(클레임, 서명, 함께 가는 리프레시 쿠키)를 보세요.",
            question: "어떤 클라이언트와 네트워크에서 이 차이가 중요하고, 어디서는 전혀 중요하지 않을까요?",
        },
        GuideStep::ForcedLogout => GuideText {
            title: "강제 로그아웃",
            claim: "세션은 바로 회수되고, JWT는 만료될 때까지 살아 있다.",
            look_for: "강제 로그아웃 실험: 세션 클라이언트는 바로 다음 요청에서 거부되고, JWT 클라이언트는 토큰이 \
                만료될 때까지 응답을 받습니다(주황). 엄격한 취소를 켜고(관리자가 /admin에서) 다시 실행하세요. \
                발표자라면 레이스로 실시간으로 보여 줄 수 있습니다.",
            question: "엄격한 취소의 비용은 무엇이고, 그것을 켜면 '서버 상태가 없다'는 주장에서 무엇이 남을까요?",
        },
        GuideStep::RoleChange => GuideText {
            title: "역할 변경",
            claim: "새 역할은 세션에 바로 반영되고, 토큰은 서명될 때의 역할을 유지한다.",
            look_for: "역할 변경 실험: 각 클라이언트가 처음 admin으로 동작하는 때, 그리고 JWT 클라이언트는 리프레시 \
                뒤에야 그렇게 된다는 점을 보세요.",
            question: "승격이 늦으면 불편할 뿐이지만 강등이 늦으면 구멍입니다. 여기서 토큰 수명은 얼마나 짧아야 \
                할까요?",
        },
        GuideStep::Servers => GuideText {
            title: "서버가 여러 대일 때",
            claim: "서버 A에서 만든 세션은 저장소를 공유하지 않으면(또는 로드 밸런서가 스티키가 아니면) 서버 B가 \
                모릅니다. JWT는 키만 있으면 어디서나 검증됩니다.",
            look_for:
                "/compare의 트레이드오프 표에서 서버 여러 대 행을 보세요. 이 서버가 세션 저장소로 무엇을 쓰는지, \
                엄격한 취소를 켜면 JWT에 무엇이 필요한지 나와 있습니다.",
            question: "스티키 세션은 '동작'합니다. 그 서버가 재시작하면 로그인한 사용자들은 어떻게 될까요?",
        },
        GuideStep::CsrfXss => GuideText {
            title: "CSRF vs XSS: 자격 증명을 어디에 둘까",
            claim: "쿠키는 CSRF를, localStorage는 XSS 탈취를 부른다. 어느 공격을 막을지 고르는 것이다.",
            look_for: "페이지 스크립트가 읽을 수 있는 것: HttpOnly 쿠키는 보이지 않고, localStorage의 데모 토큰은 \
                보입니다. 그다음 다른 사이트의 폼: 쿠키가 함께 가는지, 어느 방어가 요청을 거부하는지 보세요.",
            question: "이 앱은 브라우저에서 JWT를 HttpOnly 쿠키에 둡니다. 그래서 얻은 것은 무엇이고, 대신 무엇을 \
                더해야 했을까요?",
        },
        GuideStep::Refresh => GuideText {
            title: "리프레시 토큰",
            claim: "짧은 액세스 토큰과 리프레시 토큰을 함께 쓰면 빠른 만료와 긴 로그인을 모두 얻는다.",
            look_for:
                "사용한 리프레시 토큰 재사용 실험: 옛 토큰이 거부되고 패밀리 전체가 취소되어, 정당한 새 토큰까지 \
                죽습니다. /me에서는 내 기기와 취소된 토큰이 아직 얼마나 동작하는지 보세요.",
            question: "재사용된 토큰 하나만 거부하지 않고 패밀리 전체를 취소하는 이유는 무엇일까요?",
        },
        GuideStep::Attacks => GuideText {
            title: "고전적인 JWT 공격",
            claim: "JWT는 검증기가 안전한 만큼만 안전하다. JWT 사고의 대부분은 검증기의 실수다.",
            look_for: "이 앱의 검증기에 보내는 망가진 토큰(각각 검사 이름과 함께 거부됨), 그다음 순진한 검증기: \
                공격마다 그쪽은 통과하고 진짜 검증기는 그 공격을 막는 규칙과 함께 거부합니다.",
            question: "일곱 가지 순진한 실수 중 코드 리뷰로 잡을 수 있는 것은 무엇이고, 테스트로만 잡히는 것은 \
                무엇일까요?",
        },
    },
    guide_link: |link| match link {
        "/compare" => "비교: 흐름",
        "/compare#stored-session" => "비교: 서버가 저장하는 것",
        "/compare#wire" => "비교: 전송되는 바이트",
        "/compare#trade-offs" => "비교: 트레이드오프",
        "/compare/race" => "레이스 (관리자)",
        "/lab#lab-checks" => "Lab: 망가진 토큰",
        "/lab#lab-naive" => "Lab: 순진한 검증기",
        "/lab#replay-session_fixation" => "Lab: 세션 고정",
        "/lab#replay-jwt_after_logout" => "Lab: 로그아웃 후의 토큰",
        "/lab#replay-refresh_reuse" => "Lab: 사용한 리프레시 토큰",
        "/lab#propagation-forced_logout" => "Lab: 강제 로그아웃",
        "/lab#propagation-role_change" => "Lab: 역할 변경",
        "/lab#script-read" => "Lab: 스크립트가 읽을 수 있는 것",
        "/lab#csrf" => "Lab: 다른 사이트의 폼 POST",
        "/me" => "내 페이지: 기기",
        _ => "열기",
    },
    bench_title: "부하를 걸면: make bench",
    bench_lead: |date, commit, cores, cpu, connections, rounds, duration| {
        format!(
            "위의 수치는 이 서버가 지금 잰 것입니다. 아래는 같은 경로에 부하를 건 결과입니다: {date}에 `make bench` \
             (커밋 {commit}, {cores}코어 {cpu}), 루프백에서 wrk 연결 {connections}개, 경로마다 {duration}씩 {rounds}번 잰 것의 \
             중앙값. 다시 실행하고 새로 고치면 여러분 컴퓨터의 결과가 보입니다."
        )
    },
    bench_missing: "이 서버에는 아직 부하 측정 결과가 없습니다. `make bench`를 실행하고(몇 분 걸림) 새로 고치면 \
                    경로별 초당 요청 수, 99번째 백분위 지연, 로그인 하나가 쓰는 메모리가 여기에 나옵니다.",
    bench_path: "경로",
    bench_rps: "초당 요청",
    bench_share: "상한(/livez) 대비",
    bench_path_label: |key| {
        match key {
            "livez" => "상한: 아무것도 조회하지 않음",
            "readyz" => "준비 상태: 데이터베이스와 세션 저장소",
            "jwt_me" => "JWT, Bearer 헤더",
            "session_me" => "세션 쿠키",
            "jwt_strict_me" => "엄격한 폐기를 켠 JWT",
            "home" => "홈 페이지, 비로그인",
            "login" => "로그인 페이지, 비로그인",
            "me_page" => "‘내 정보’ 페이지, 로그인",
            "css" => "스타일시트(정적 파일)",
            other => other,
        }
        .to_owned()
    },
    bench_state_title: "로그인 하나가 서버에 남기는 비용",
    bench_mode: "방식",
    bench_header_bytes: "요청마다 보내는 자격 증명 헤더",
    bench_rss_per_login: "로그인당 메모리(RSS)",
    bench_stored_per_login: "로그인당 저장 용량",
    bench_logins_per_second: "초당 로그인(argon2id)",
    bench_footer: |logins, rate_logins, first_visit_kb, rss_mb| {
        format!(
            "방식마다 새로 띄운 서버에서 한 사용자로 {logins}번 로그인했습니다. 메모리는 프로세스가 늘어난 \
             만큼입니다(세션은 레코드 캐시 포함). 저장 용량은 행의 값만 센 것으로 엔진의 부가 공간은 빠져 \
             있습니다. 초당 로그인: 실제 argon2id 비용으로 방식마다 {rate_logins}번 로그인한 결과. /login 첫 \
             방문: {first_visit_kb} KB 전송. 부하 뒤 쉬고 있는 서버의 메모리: {rss_mb} MB."
        )
    },
    cluster_title: "서버 여러 대",
    cluster_single: |here| {
        format!(
            "이 서버는 혼자 돌고 있습니다(인스턴스 {here}). make cluster를 실행하면 nginx 뒤에 인스턴스 세 개가 뜹니다. \
             그러면 이 카드에서 인스턴스마다 세션 조회 수를 보고, 로드 밸런서를 거쳐 요청을 보내 어느 인스턴스가 \
             나를 아는지 확인하고, 아무 인스턴스나 실제로 재시작할 수 있습니다."
        )
    },
    cluster_lead: |here, store, database| {
        format!(
            "이 페이지는 nginx를 거쳐 인스턴스 {here}에서 왔습니다. 모든 인스턴스의 세션 저장소: {store}, \
             데이터베이스: {database}."
        )
    },
    cluster_lesson: |store| {
        match store {
        "memory" => {
            "인스턴스마다 세션을 자기 메모리에 둡니다. 세션으로 로그인한 뒤 물어보세요. 세션을 만든 인스턴스만 나를 알고, \
             나머지는 모르는 세션으로 세고, 브라우저에 쿠키를 지우라고 합니다(tower-sessions는 찾지 못한 id마다 그렇게 \
             합니다). 그래서 다른 인스턴스로 간 첫 요청에서 모든 곳에서 로그아웃됩니다. 로그인 폼 바로 다음에도요. \
             스티키 밸런싱(STICKY=1)이면 잘 되는 것처럼 보이지만, 그 인스턴스가 \
             재시작하면 끝입니다. JWT는 모든 인스턴스에서 검증됩니다. 키를 공유하니까요."
        }
        "sqlite" => {
            "모든 인스턴스가 이 컴퓨터의 같은 SQLite 파일을 읽습니다. 세션이 어디서나 통하고 재시작에도 살아남습니다. \
             컴퓨터가 여러 대면 파일을 공유할 수 없으니, 그때 Redis나 PostgreSQL을 씁니다."
        }
        _ => {
            "모든 인스턴스가 같은 공유 저장소를 읽습니다. 세션이 어디서나 통하고 어느 인스턴스가 재시작해도 살아남습니다. \
             한 인스턴스에서 한 강제 로그아웃은 모든 인스턴스의 캐시에 곧바로 전달됩니다. JWT는 공유 상태가 필요 없지만, \
             엄격한 폐기를 켜면 다시 공유 데이터베이스에 묻습니다."
        }
    }
    },
    cluster_instance: "인스턴스",
    cluster_lookups: "세션 조회",
    cluster_unknown: "여기서 모름",
    cluster_jwt_accepted: "토큰 통과",
    cluster_jwt_refused: "토큰 거부",
    cluster_started: "시작 시각",
    cluster_down: "응답 없음(재시작 중?)",
    cluster_restart: "재시작",
    cluster_restart_label: |name| format!("인스턴스 {name} 재시작"),
    cluster_restarting: |name| format!("인스턴스 {name}이(가) 재시작합니다. 메모리에 있던 것은 사라집니다."),
    cluster_ask: "로드 밸런서를 거쳐 6번 묻기",
    cluster_ask_hint: "묻기 한 번이 브라우저의 자격 증명을 실은 진짜 요청이고 nginx를 거칩니다. 응답은 요청을 처리한 \
                       인스턴스와, 그 인스턴스가 나를 누구로 보았는지 알려 줍니다.",
    cluster_served_by: |instance| format!("인스턴스 {instance}:"),
    cluster_hop_known: |name, mode| format!("나를 {name}({mode})(으)로 압니다."),
    cluster_hop_anonymous: "요청에 자격 증명이 없었습니다: 익명.",
    cluster_cookie_deleted: "이 인스턴스는 세션을 모르므로 브라우저에 쿠키를 지우라고도 했습니다.",
};

fn role_name(role: Role) -> &'static str {
    match role {
        Role::User => "사용자",
        Role::Admin => "관리자",
    }
}

fn error(error: &AppError) -> String {
    match error {
        AppError::InvalidCredentials => "아이디 또는 비밀번호가 틀렸습니다.".into(),
        AppError::Unauthenticated => "먼저 로그인하세요.".into(),
        AppError::CredentialRefused(refusal) => format!("인증 정보가 거부되었습니다: {}.", self::refusal(refusal)),
        AppError::Forbidden(Denial::NeedsRole { role }) => format!("{} 역할이 필요합니다.", role_name(*role)),
        AppError::Forbidden(Denial::NotYourPost { delete }) => {
            format!(
                "내 글이 아니므로 {}할 수 없습니다.",
                if *delete { "삭제" } else { "수정" }
            )
        }
        AppError::Forbidden(Denial::NotInCluster) => {
            "이 클러스터의 인스턴스만 요청할 수 있습니다(클러스터 비밀 값이 필요합니다). make cluster 밖에서는 아무도 \
             할 수 없습니다."
                .into()
        }
        AppError::WrongPassword => "현재 비밀번호가 틀렸습니다.".into(),
        AppError::UsernameTaken(username) => format!("아이디 \"{username}\"은(는) 이미 사용 중입니다."),
        AppError::LastAdmin => "관리자는 항상 한 명 이상 있어야 합니다.".into(),
        AppError::NoRace => "진행 중인 레이스가 없습니다. 먼저 레이스를 시작하세요.".into(),
        AppError::RefreshReused => "이미 사용된 리프레시 토큰입니다. 이 로그인의 토큰을 모두 취소했습니다.".into(),
        AppError::InvalidRefreshToken(problem) => refresh_problem(*problem).into(),
        AppError::BadRequest(input) => bad_input(input),
        AppError::PayloadTooLarge => "요청 본문이 너무 큽니다.".into(),
        AppError::RateLimited(seconds) => format!("로그인 실패가 너무 많습니다. {seconds}초 뒤에 다시 시도하세요."),
        AppError::NotFound => "찾을 수 없습니다.".into(),
        AppError::Internal => "서버에 문제가 생겼습니다.".into(),
        AppError::HeadersTooLarge => "요청 헤더(쿠키, 토큰)가 너무 큽니다.".into(),
        AppError::Busy => "서버가 다른 비밀번호를 확인하느라 바쁩니다. 잠시 뒤에 다시 시도하세요.".into(),
        AppError::NotReady => "준비되지 않았습니다. 데이터베이스나 세션 저장소가 응답하지 않습니다.".into(),
        AppError::CrossSite => "거부됨: 다른 사이트의 페이지에서 보낸 요청입니다 (CSRF).".into(),
        AppError::ServerFn(detail) => format!("요청이 실패했습니다: {detail}"),
    }
}

fn refresh_problem(problem: RefreshProblem) -> &'static str {
    match problem {
        RefreshProblem::NotValid => "유효하지 않은 리프레시 토큰입니다.",
        RefreshProblem::Revoked => "취소된 로그인입니다.",
        RefreshProblem::Expired => "리프레시 토큰이 만료되었습니다.",
        RefreshProblem::AccountGone => "더 이상 존재하지 않는 계정입니다.",
        RefreshProblem::NoneHeld => "이 브라우저에는 리프레시 토큰이 없습니다.",
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
        BadInput::ChooseMode => "세션이나 JWT 중 하나를 고르세요.".into(),
        BadInput::UnknownRole => "역할은 `user` 또는 `admin`입니다.".into(),
        BadInput::MissingCredentials => "아이디와 비밀번호를 입력하세요.".into(),
        BadInput::EmptyPost => "빈 글은 올릴 수 없습니다.".into(),
        BadInput::PostTooLong(max) => format!("글은 최대 {max}자까지입니다."),
        BadInput::UsernameLength(min, max) => format!("아이디는 {min}–{max}자입니다."),
        BadInput::UsernameCharacters => "아이디에는 영문자 a–z, 숫자, `_`, `-`만 쓸 수 있습니다.".into(),
        BadInput::PasswordLength(min, max) => format!("비밀번호는 {min}–{max}자입니다."),
        BadInput::SamePassword => "새 비밀번호는 현재 비밀번호와 달라야 합니다.".into(),
        BadInput::LoginLimitRange(max) => format!("로그인 수 제한은 0(없음)부터 {max}까지입니다."),
        BadInput::UnknownAuditEvent(event) => format!("\"{event}\"라는 감사 이벤트는 없습니다."),
        BadInput::UnknownLanguage(lang) => format!("\"{lang}\"라는 언어는 없습니다. `en`이나 `ko`를 고르세요."),
        BadInput::UnknownAction => "알 수 없는 레이스 동작입니다.".into(),
        BadInput::RunId => "실행 ID는 영문자, 숫자, 대시(-)로 된 8~64자여야 합니다.".into(),
        BadInput::Unreadable(detail) => format!("요청을 읽을 수 없습니다: {detail}"),
    }
}

fn token_rejection(rejection: &TokenRejection) -> String {
    match rejection {
        TokenRejection::Expired => "토큰 만료 (exp가 지났음)".into(),
        TokenRejection::NotYetValid => "아직 유효하지 않음 (nbf)".into(),
        TokenRejection::BadSignature => "서명이 일치하지 않음".into(),
        TokenRejection::WrongAlgorithm => "알고리즘이 HS256이 아님".into(),
        TokenRejection::WrongIssuer => "발급자(iss)가 다름".into(),
        TokenRejection::WrongAudience => "대상(aud)이 다름".into(),
        TokenRejection::MissingClaim(claim) => format!("필수 클레임 `{claim}`이(가) 없음"),
        TokenRejection::TooLarge => "토큰이 너무 큼".into(),
        TokenRejection::UnknownKey => "서버가 모르는 키로 서명됨 (kid)".into(),
        TokenRejection::Malformed(detail) => format!("올바른 토큰이 아님: {detail}"),
    }
}

fn refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::NotBearer => "Authorization 헤더가 `Bearer <토큰>` 형식이 아님".into(),
        Refusal::Token(rejection) => token_rejection(rejection),
        Refusal::SubjectNotUser => "토큰의 sub가 사용자 ID가 아님".into(),
        Refusal::StrictRevoked => "엄격한 취소: 이 토큰의 로그인은 취소되었거나 만료됨".into(),
        Refusal::StrictLookupFailed => "엄격한 취소: 로그인을 조회하지 못함".into(),
        Refusal::RefreshFailed(failure) => format!("리프레시 실패: {}", refresh_failure(failure)),
        Refusal::NoSessionRecord { store } => {
            format!("{store}에 이 ID의 살아 있는 레코드가 없음 (로그아웃, 만료 또는 지어낸 ID)")
        }
        Refusal::SessionStoreUnreadable => "세션 저장소를 읽지 못함".into(),
        Refusal::SessionTooOld => "세션의 최대 수명이 지남. 레코드 삭제".into(),
        Refusal::SessionUserGone => "세션의 사용자가 더 이상 없음. 레코드 삭제".into(),
        Refusal::UsersUnreadable => "사용자 테이블을 읽지 못함".into(),
    }
}

fn step(step: &Step) -> String {
    match step {
        Step::Anonymous => "인증 정보 없음: 익명".into(),
        Step::ReadAuthorization { bytes } => format!("Authorization 헤더 읽음 ({bytes}바이트)"),
        Step::ReadCookie { name, bytes } => format!("쿠키 {name} 읽음 ({bytes}바이트)"),
        Step::VerifiedSignature { lookup_follows, cached } => {
            let checked = if *cached {
                "이 토큰이 처음 왔을 때 이 프로세스가 HS256 서명, iss, aud를 검증해 캐시에 둠. exp는 다시 검증"
            } else {
                "HS256 서명, exp, iss, aud 검증"
            };
            if *lookup_follows {
                checked.into()
            } else {
                format!("{checked}: 서버 조회 없음")
            }
        }
        Step::StrictLookupLive => "엄격한 취소: refresh_families에서 로그인을 조회함: 아직 유효".into(),
        Step::RefreshNeeded { cookie } => format!("액세스 토큰이 없거나 만료됨. 갱신하려고 쿠키 {cookie} 읽음"),
        Step::Rotated => "리프레시 토큰 교체 (행 하나 사용, 하나 추가)하고 새 액세스 토큰 발급".into(),
        Step::SessionFound { store, cached: false } => format!("{store}에서 세션 레코드 조회"),
        Step::SessionFound { store, cached: true } => {
            format!("이 프로세스의 캐시에서 세션 레코드를 찾음 (쿼리 없음, 원본: {store})")
        }
        Step::UserLoaded { cached: false } => "users 테이블에서 사용자의 현재 이름과 역할을 읽음".into(),
        Step::UserLoaded { cached: true } => {
            "이 프로세스의 캐시에서 사용자의 현재 이름과 역할을 읽음 (역할이 바뀌면 바로 비워짐)".into()
        }
        Step::IdleExtended => "활동 기록: 응답을 보낼 때 유휴 만료 시간을 연장".into(),
        Step::Refused { refusal } => format!("거부: {}", self::refusal(refusal)),
    }
}

fn counts(counts: &RevokedCounts) -> String {
    let mut text = format!(
        "세션 {}개 삭제, 리프레시 패밀리 {}개 취소",
        counts.sessions, counts.refresh_families
    );
    if counts.access_tokens_valid_for > 0 {
        text.push_str(&format!(
            ". 액세스 토큰은 최대 {}초 동안 유효",
            counts.access_tokens_valid_for
        ));
    }
    text
}

fn settings(settings: &Settings) -> (&'static str, String) {
    let strict = if settings.strict_revocation { "켜짐" } else { "꺼짐" };
    let limit = match settings.max_logins_per_user {
        0 => "없음".to_owned(),
        limit => limit.to_string(),
    };
    (strict, limit)
}

fn audit_detail(detail: &AuditDetail) -> String {
    match detail {
        AuditDetail::WrongCredentials => "아이디 또는 비밀번호 틀림".into(),
        AuditDetail::TooManyFailures => "로그인 실패가 너무 많음".into(),
        AuditDetail::NewSession => "새 세션 레코드".into(),
        AuditDetail::NewRefreshFamily => "새 리프레시 패밀리".into(),
        AuditDetail::Rotated => "리프레시 토큰 교체, 새 액세스 토큰 발급".into(),
        AuditDetail::RefreshRefused { failure } => refresh_failure(failure),
        AuditDetail::LoggedOut {
            mode: AuthMode::Session,
        } => "세션 레코드 삭제".into(),
        AuditDetail::LoggedOut { mode: AuthMode::Jwt } => "리프레시 패밀리 취소, 액세스 토큰 쿠키 삭제".into(),
        AuditDetail::Revoked { counts } => self::counts(counts),
        AuditDetail::ForcedLogout { by, counts } => format!("{by}이(가) 실행: {}", self::counts(counts)),
        AuditDetail::PasswordChanged { counts } => format!("다른 로그인: {}", self::counts(counts)),
        AuditDetail::WrongCurrentPassword => "현재 비밀번호 틀림".into(),
        AuditDetail::TooManyWrongPasswords => "비밀번호를 너무 많이 틀림".into(),
        AuditDetail::LoginLimit {
            limit,
            mode,
            ip,
            created_at,
            tokens_valid_for,
        } => {
            let mut text = format!(
                "제한 {limit}: 가장 오래된 로그인 취소 ({}, {}에서, {} 생성)",
                KO.mode_label(*mode),
                ip.as_deref().unwrap_or("알 수 없는 주소"),
                crate::model::format_utc(*created_at)
            );
            if *mode == AuthMode::Jwt {
                text.push_str(&format!(
                    ". 리프레시 패밀리로 셈. 액세스 토큰은 서버에 없으므로 최대 {tokens_valid_for}초 동안 유효"
                ));
            }
            text
        }
        AuditDetail::SettingsChanged { before, after } => {
            let ((strict_before, limit_before), (strict_after, limit_after)) = (settings(before), settings(after));
            format!("엄격한 취소 {strict_before} → {strict_after}, 사용자당 로그인 수 {limit_before} → {limit_after}")
        }
        AuditDetail::RoleChanged { from, to, by } => {
            format!("{} → {} ({by}이(가) 변경)", role_name(*from), role_name(*to))
        }
        AuditDetail::Denied {
            status,
            request,
            because,
        } => {
            let why = match because {
                DeniedBecause::NotAllowed => "이 사용자에게 허용되지 않음".to_owned(),
                DeniedBecause::NoCredential => "인증 정보 없음".to_owned(),
                DeniedBecause::Refused(refusal) => format!("인증 정보 거부: {}", self::refusal(refusal)),
            };
            format!("{status} {request}: {why}")
        }
    }
}
