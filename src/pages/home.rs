use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Auth Lab"</h1>
            <p class="lead">
                "Log in with a server-side session or with a JWT, then use the very same pages, "
                "and watch on real requests what the browser holds, what the server stores, "
                "and how the server knew who you are."
            </p>
            <div class="modes">
                <article class="card">
                    <h2>"Session"</h2>
                    <p>
                        "The browser holds an opaque id in an HttpOnly cookie. The server keeps one "
                        "record per login and looks it up on every request, so logging out or "
                        "revoking takes effect at once."
                    </p>
                    <A href="/login?mode=session" attr:class="button" attr:data-testid="login-session">
                        "Log in with a session"
                    </A>
                </article>
                <article class="card">
                    <h2>"JWT"</h2>
                    <p>
                        "The browser holds a signed token whose payload anyone can read. The server "
                        "checks the signature and the claims without a lookup, and keeps only the "
                        "refresh token's row: an access token lives until it expires."
                    </p>
                    <A href="/login?mode=jwt" attr:class="button" attr:data-testid="login-jwt">
                        "Log in with a JWT"
                    </A>
                </article>
            </div>
            <h2>"Demo accounts"</h2>
            <table class="accounts">
                <thead>
                    <tr>
                        <th>"Username"</th>
                        <th>"Password"</th>
                        <th>"Role"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td><code>"alice"</code></td>
                        <td><code>"alice-password"</code></td>
                        <td>"user"</td>
                    </tr>
                    <tr>
                        <td><code>"bob"</code></td>
                        <td><code>"bob-password"</code></td>
                        <td>"user"</td>
                    </tr>
                    <tr>
                        <td><code>"admin"</code></td>
                        <td><code>"admin-password"</code></td>
                        <td>"admin"</td>
                    </tr>
                </tbody>
            </table>
        </section>
    }
}
