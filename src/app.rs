//! The HTML shell, the router and the layout every page shares.

use crate::{
    components::nav::Nav,
    i18n::{use_basics, Locale},
    pages::{
        admin::AdminPage, board::BoardPage, compare::ComparePage, guide::GuidePage, home::HomePage, lab::LabPage,
        login::LoginPage, me::MePage, race::RacePage, signup::SignupPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};

#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::page_head::{HydrationScripts, Stylesheet};
    use leptos_meta::MetaTags;
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=page_locale().as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // The build's files under their content-hashed names.
                <Stylesheet options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                <link rel="icon" type="image/png" href="/favicon.png"/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from this site or with
/// this response's nonce (Leptos puts it on its inline hydration scripts),
/// wasm allowed to compile, nothing framed, no plugins, forms only to here.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Bumped whenever this browser's credentials change without a navigation
/// (a token refresh), so the nav bar asks again who is logged in.
#[derive(Clone, Copy)]
pub struct AuthEpoch(RwSignal<u32>);

impl AuthEpoch {
    pub fn bump(self) {
        self.0.update(|epoch| *epoch += 1);
    }

    pub fn get(self) -> u32 {
        self.0.get()
    }
}

/// The language this page is in: on the server, what the request
/// negotiated (`i18n::server`); in the browser, what the server wrote into
/// `<html lang>`, so hydration renders the very same text.
fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    let locale =
        use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<Locale>().copied());
    #[cfg(not(feature = "ssr"))]
    let locale = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .as_deref()
        .and_then(Locale::parse);
    locale.unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(page_locale());
    let t = use_basics();
    provide_meta_context();
    provide_context(AuthEpoch(RwSignal::new(0)));

    view! {
        <Title text="Auth Lab"/>
        <Router>
            <Nav/>
            <main>
                <Routes fallback=move || view! { <h1>{t.not_found}</h1> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/signup") view={Lazy::<Signup>::new()}/>
                    // Async: the redirect for anonymous visitors must be a real 302,
                    // and a user on /admin must get a real 403.
                    <Route path=path!("/me") view={Lazy::<Me>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/board") view={Lazy::<Board>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<Admin>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/compare") view={Lazy::<Compare>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/compare/race") view={Lazy::<Race>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/lab") view={Lazy::<Lab>::new()}/>
                    <Route path=path!("/guide") view={Lazy::<Guide>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// The pages a first visit to `/` or `/login` does not need. Under
/// `cargo leptos build --split` each one's code is a wasm file of its own,
/// which the browser fetches when the page is first shown (and which the
/// server names in a `<link rel=preload>` when it renders that page).
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_route: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    Signup => SignupPage,
    Me => MePage,
    Board => BoardPage,
    Admin => AdminPage,
    Compare => ComparePage,
    Race => RacePage,
    Lab => LabPage,
    Guide => GuidePage,
}
