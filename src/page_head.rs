//! The `<head>` links to the build's files, under their content-hashed
//! names. Leptos's own `HashedStylesheet` and `HydrationScripts` find those
//! names by reading `hash.txt` beside the binary on every page they render
//! (`current_exe`, a `stat` and a file read, each twice per page): a profile
//! of `GET /` under load put 16% of the server's time there. A build's names
//! never change while it runs, so these components read them once.

use leptos::{config::LeptosOptions, prelude::*, WasmSplitManifest};
use std::{collections::HashMap, path::PathBuf, sync::OnceLock};

/// The names this build's pages link, and the lazy pages' preload manifest
/// (`--split`), as `leptos_router` expects it in the context.
#[derive(Debug)]
struct BuildNames {
    css: String,
    js: String,
    wasm: String,
    split: Option<WasmSplitManifest>,
}

/// Where cargo-leptos writes the build's hashes: beside the binary.
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// `name: hash` lines of the hash file, when the build hashed its files
/// (`hash-files`; `server` turns it off when the file is missing).
fn hashes(options: &LeptosOptions) -> HashMap<String, String> {
    if !options.hash_files {
        return HashMap::new();
    }
    let text = hash_file(options)
        .and_then(|file| std::fs::read_to_string(file).ok())
        .unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(file, hash)| (file.trim().to_owned(), hash.trim().to_owned()))
        .collect()
}

impl BuildNames {
    fn read(options: &LeptosOptions) -> Self {
        let hashes = hashes(options);
        let hashed = |stem: &str, kind: &str, extension: &str| match hashes.get(kind) {
            Some(hash) => format!("{stem}.{hash}.{extension}"),
            None => format!("{stem}.{extension}"),
        };
        let pkg = format!("/{}", options.site_pkg_dir);
        let output = options.output_name.as_ref();
        let manifest = PathBuf::from(options.site_root.as_ref())
            .join(options.site_pkg_dir.as_ref())
            .join(hashed("__wasm_split_manifest", "manifest", "json"));
        let split = std::fs::read_to_string(manifest)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .map(|preloads: HashMap<String, Vec<String>>| {
                let split_js = hashed("__wasm_split", "split", "js");
                WasmSplitManifest(ArcStoredValue::new((pkg.clone(), preloads, split_js)))
            });
        BuildNames {
            css: format!("{pkg}/{}", hashed(output, "css", "css")),
            js: format!("{pkg}/{}", hashed(output, "js", "js")),
            wasm: format!("{pkg}/{}", hashed(output, "wasm", "wasm")),
            split,
        }
    }

    /// Read at the first page; the same for every page after it.
    fn get(options: &LeptosOptions) -> &'static BuildNames {
        static NAMES: OnceLock<BuildNames> = OnceLock::new();
        NAMES.get_or_init(|| BuildNames::read(options))
    }
}

/// The build's stylesheet.
#[component]
pub fn Stylesheet(options: LeptosOptions) -> impl IntoView {
    let names = BuildNames::get(&options);
    view! { <link id="leptos" rel="stylesheet" href=names.css.as_str()/> }
}

/// Loads the build's JS and wasm and hydrates the page: the module and the
/// wasm are preloaded, and the inline script (allowed by this response's
/// nonce) starts them.
#[component]
pub fn HydrationScripts(options: LeptosOptions) -> impl IntoView {
    let names = BuildNames::get(&options);
    if let Some(split) = &names.split {
        provide_context(split.clone());
    }
    let nonce = leptos::nonce::use_nonce();
    let start = format!(
        "import({js:?}).then((module) => module.default({{ module_or_path: {wasm:?} }}).then(() => module.hydrate()));",
        js = names.js,
        wasm = names.wasm,
    );
    view! {
        <link rel="modulepreload" href=names.js.as_str() crossorigin="anonymous"/>
        <link rel="preload" href=names.wasm.as_str() r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" nonce=nonce>{start}</script>
    }
}
