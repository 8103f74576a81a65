//! The HTML shell, the router and the layout every page shares.

use crate::{
    components::nav::Nav,
    pages::{home::HomePage, login::LoginPage, me::MePage},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/authlab.css"/>
        <Title text="Auth Lab"/>
        <Router>
            <Nav/>
            <main>
                <Routes fallback=|| view! { <h1>"Not found"</h1> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/login") view=LoginPage/>
                    // Async: the redirect for anonymous visitors must be a real 302.
                    <Route path=path!("/me") view=MePage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
