//! The build's files (`/pkg/...`), held in memory with their brotli and
//! gzip forms. With content-hashed names (`hash-files`), what is at a name
//! never changes, so the server reads each file once at start instead of
//! opening it for every request; a name it does not hold (a newer build's,
//! or any name without hashes) goes to the folder as before. Of a file the
//! build compressed, only the compressed forms are held: every browser
//! takes one of them, and a client that takes neither reads the folder.

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use std::{collections::HashMap, path::Path, sync::Arc};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// One file and the compressed forms the build made of it (the file itself
/// only when there are none).
#[derive(Debug)]
struct BuildFile {
    content_type: HeaderValue,
    plain: Option<Bytes>,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// An encoding the client takes, from `Accept-Encoding` (`q=0` refuses).
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name_matches = parts.next().is_some_and(|name| name.eq_ignore_ascii_case(encoding));
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name_matches && !refused
        })
}

/// The files of one build folder, by name, plus the folder for the rest.
#[derive(Clone)]
pub struct BuildFiles {
    files: Arc<HashMap<String, BuildFile>>,
    folder: ServeDir,
}

impl BuildFiles {
    /// Reads every file of `dir` (not its subfolders) when `in_memory`;
    /// otherwise serves all from the folder.
    pub fn new(dir: &Path, in_memory: bool) -> Self {
        let folder = ServeDir::new(dir).precompressed_br().precompressed_gzip();
        let files = if in_memory {
            read_all(dir).unwrap_or_else(|err| {
                tracing::warn!(%err, dir = %dir.display(), "build files not read; served from the folder");
                HashMap::new()
            })
        } else {
            HashMap::new()
        };
        BuildFiles {
            files: Arc::new(files),
            folder,
        }
    }

    pub fn held(&self) -> usize {
        self.files.len()
    }

    /// The bytes held in memory, for all files and forms.
    pub fn held_bytes(&self) -> usize {
        self.files
            .values()
            .flat_map(|file| [&file.plain, &file.brotli, &file.gzip])
            .flatten()
            .map(Bytes::len)
            .sum()
    }

    /// Answers a request under `/pkg` (the path without that prefix). Both
    /// ways pick brotli, gzip or plain by `Accept-Encoding`, so every answer
    /// says it varies by it.
    pub async fn serve(self, request: Request) -> Response {
        let mut response = self.answer(request).await;
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response
    }

    async fn answer(self, request: Request) -> Response {
        let name = request.uri().path().trim_start_matches('/');
        let held = self.files.get(name).and_then(|file| {
            let headers = request.headers();
            let (body, encoding) = match (&file.brotli, &file.gzip, &file.plain) {
                (Some(brotli), _, _) if accepts(headers, "br") => (brotli.clone(), Some("br")),
                (_, Some(gzip), _) if accepts(headers, "gzip") => (gzip.clone(), Some("gzip")),
                (_, _, Some(plain)) => (plain.clone(), None),
                _ => return None,
            };
            Some((file.content_type.clone(), body, encoding))
        });
        let Some((content_type, body, encoding)) = held else {
            return match self.folder.oneshot(request).await {
                Ok(response) => response.map(Body::new),
                Err(never) => match never {},
            };
        };
        let mut response = (StatusCode::OK, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, content_type);
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

fn read_all(dir: &Path) -> std::io::Result<HashMap<String, BuildFile>> {
    let mut files = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let path = entry.path();
        let sibling = |suffix: &str| {
            let mut compressed = path.clone().into_os_string();
            compressed.push(suffix);
            std::fs::read(compressed).ok().map(Bytes::from)
        };
        let content_type = mime_guess::from_path(&path).first_or_octet_stream();
        let (brotli, gzip) = (sibling(".br"), sibling(".gz"));
        let plain = if brotli.is_none() && gzip.is_none() {
            Some(Bytes::from(std::fs::read(&path)?))
        } else {
            None
        };
        files.insert(
            name,
            BuildFile {
                content_type: HeaderValue::from_str(content_type.as_ref())
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                plain,
                brotli,
                gzip,
            },
        );
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn request(path: &str, accept_encoding: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(path);
        if let Some(value) = accept_encoding {
            builder = builder.header(header::ACCEPT_ENCODING, value);
        }
        builder.body(Body::empty()).unwrap()
    }

    async fn body(response: Response) -> Vec<u8> {
        response.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    #[test]
    fn reads_accept_encoding_with_its_weights() {
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
            headers
        };
        assert!(accepts(&headers("gzip, deflate, br"), "br"));
        assert!(accepts(&headers("BR;q=0.5"), "br"));
        assert!(!accepts(&headers("br;q=0, gzip"), "br"));
        assert!(accepts(&headers("br;q=0, gzip"), "gzip"));
        assert!(!accepts(&headers("brotli"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[tokio::test]
    async fn answers_from_memory_in_the_best_encoding_and_the_rest_from_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.abcdefgh12.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("app.abcdefgh12.css.br"), "BR").unwrap();
        std::fs::write(dir.path().join("app.abcdefgh12.css.gz"), "GZ").unwrap();
        let files = BuildFiles::new(dir.path(), true);
        assert_eq!(files.held(), 1, "the compressed forms belong to their file");
        assert_eq!(files.held_bytes(), 4, "only the compressed forms are held");
        std::fs::write(dir.path().join("plain.abcdefgh12.js"), "plain()").unwrap();
        let uncompressed = BuildFiles::new(dir.path(), true);
        assert_eq!(
            uncompressed.held_bytes(),
            4 + 7,
            "a file without compressed forms is held as is"
        );
        // A file written after the start is not held: the folder has it.
        std::fs::write(dir.path().join("later.js"), "later()").unwrap();

        let plain = files.clone().serve(request("/app.abcdefgh12.css", None)).await;
        assert_eq!(plain.headers()[header::CONTENT_TYPE], "text/css");
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::VARY], "accept-encoding");
        assert_eq!(body(plain).await, b"body{}");

        let brotli = files
            .clone()
            .serve(request("/app.abcdefgh12.css", Some("gzip, br")))
            .await;
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(body(brotli).await, b"BR");

        let gzip = files
            .clone()
            .serve(request("/app.abcdefgh12.css", Some("gzip, br;q=0")))
            .await;
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(body(gzip).await, b"GZ");

        let later = files.clone().serve(request("/later.js", None)).await;
        assert_eq!(later.status(), StatusCode::OK);
        assert_eq!(later.headers()[header::VARY], "accept-encoding", "from the folder too");
        assert_eq!(body(later).await, b"later()");
        let missing = files.serve(request("/nothing.wasm", None)).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn without_memory_nothing_is_held() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.css"), "body{}").unwrap();
        assert_eq!(BuildFiles::new(dir.path(), false).held(), 0);
    }
}
