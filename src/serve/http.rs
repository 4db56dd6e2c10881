//! The preview's HTTP side: static files from the build folder, with safe path handling,
//! correct content types, and the reload channel.
//!
//! Paths are percent-decoded (browsers send Arabic either way), NFC-normalised and checked
//! segment by segment: `..`, backslashes, NUL and drive letters are refused with 400, and a
//! file reached through a symbolic link that leaves the site is 404. Requests whose `Host` is
//! not this server (DNS rebinding) and reload requests from a foreign `Origin` get 403.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use percent_encoding::percent_decode_str;
use tokio::sync::broadcast::error::RecvError;
use unicode_normalization::UnicodeNormalization;

use super::inject::{RELOAD_PATH, empty_page, inject};
use super::{Shared, Update};
use crate::site::layout::{NOT_FOUND_FILE, Urls, file_for_path, path_for_file};

/// Serves until Ctrl-C (or the process is asked to end: `kill`, a closed terminal).
pub async fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
    let app = Router::new()
        .route(RELOAD_PATH, get(reload_channel))
        .fallback(get(static_file))
        .with_state(shared.clone());
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            asked_to_stop().await;
            // Open tabs hold reload channels; end them, or shutdown would wait forever.
            let _ = shared.stopping.send(true);
        })
        .await
        .map_err(|e| e.to_string())
}

/// Waits for Ctrl-C, or on Unix for SIGTERM or SIGHUP: each ends the preview the same way,
/// so its temporary folder (a whole built site) is removed rather than left behind.
async fn asked_to_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hangup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hangup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// The reload channel: after every build, "update" (only HTML pages changed: a tab may patch
/// its page in place) or "reload". Nothing else is ever sent.
async fn reload_channel(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse_foreign(&headers, shared.addr) {
        return refusal;
    }
    let channels = (shared.reload.subscribe(), shared.stopping.subscribe());
    let events = stream::unfold(channels, |(mut reload, mut stopping)| async move {
        let message = tokio::select! {
            received = reload.recv() => match received {
                Ok(Update::Pages) => Some("update"),
                // A tab that missed messages cannot know what changed: it reloads.
                Ok(Update::Reload) | Err(RecvError::Lagged(_)) => Some("reload"),
                Err(RecvError::Closed) => None,
            },
            _ = stopping.wait_for(|stop| *stop) => None,
        };
        message.map(|message| {
            (
                Ok::<Event, Infallible>(Event::default().data(message)),
                (reload, stopping),
            )
        })
    });
    sse(events).into_response()
}

fn sse(
    events: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))),
    )
}

/// Any other GET: a file of the built site.
async fn static_file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if let Some(refusal) = refuse_foreign(request.headers(), shared.addr) {
        return refusal;
    }
    let rel = match safe_relative_path(request.uri().path()) {
        Ok(rel) => rel,
        Err(()) => return plain(StatusCode::BAD_REQUEST, "bad request path"),
    };
    // Read before the file: a page may then be newer than its number says, never older.
    let build = shared.build_number();
    let error = shared.current_error();
    let site = shared.site_dir.clone();
    let wanted = rel.clone();
    let known = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match tokio::task::spawn_blocking(move || resolve(&site, &rel)).await {
        Ok(Some((path, bytes))) if !is_html(&path) => asset_response(&path, bytes, known),
        Ok(Some((path, bytes))) => {
            file_response(StatusCode::OK, &path, bytes, error.as_deref(), build)
        }
        _ => match shared.moved_to(&page_file(&wanted)) {
            Some(new_file) => redirect_to_file(&new_file),
            None => not_found(&shared.site_dir, error.as_deref(), build).await,
        },
    }
}

/// The page file a request path names: `a/b` → `a/b/index.html`, `a/b.html` as it is.
fn page_file(rel: &Path) -> String {
    let rel = rel.to_string_lossy().replace('\\', "/");
    if rel.ends_with(".html") {
        rel
    } else {
        file_for_path(&format!("/{rel}/"))
    }
}

/// A temporary redirect to the URL of `file` (its folder when it is an `index.html`).
fn redirect_to_file(file: &str) -> Response {
    let href = Urls::new("http://localhost/", "/").href(&path_for_file(file));
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(location) = HeaderValue::from_str(&href) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn not_found(site: &Path, error: Option<&str>, build: u64) -> Response {
    let page = site.join(NOT_FOUND_FILE);
    let read = page.clone();
    match tokio::task::spawn_blocking(move || std::fs::read(read)).await {
        Ok(Ok(bytes)) => file_response(StatusCode::NOT_FOUND, &page, bytes, error, build),
        _ => html(StatusCode::NOT_FOUND, empty_page(error, build)),
    }
}

/// Decodes and checks a request path; `Err` for anything that could leave the site.
pub fn safe_relative_path(raw: &str) -> Result<PathBuf, ()> {
    let bytes: Vec<u8> = percent_decode_str(raw).collect();
    let decoded = String::from_utf8(bytes).map_err(|_| ())?;
    let decoded: String = decoded.nfc().collect();
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return Err(());
    }
    let mut rel = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(()),
            s if s.contains(':') || s.chars().any(char::is_control) => return Err(()),
            s => rel.push(s),
        }
    }
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(());
    }
    Ok(rel)
}

/// Finds the file for `rel` (a folder means its `index.html`) and reads it, unless it lies,
/// after following links, outside the site.
fn resolve(site: &Path, rel: &Path) -> Option<(PathBuf, Vec<u8>)> {
    let mut path = site.join(rel);
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    let root = site.canonicalize().ok()?;
    if !real.starts_with(&root) || !real.is_file() {
        return None;
    }
    let bytes = std::fs::read(&real).ok()?;
    Some((path, bytes))
}

fn file_response(
    status: StatusCode,
    path: &Path,
    bytes: Vec<u8>,
    error: Option<&str>,
    build: u64,
) -> Response {
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        let text = String::from_utf8_lossy(&bytes);
        return html(status, inject(&text, error, build));
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn is_html(path: &Path) -> bool {
    content_type(path).starts_with("text/html")
}

/// A stylesheet, font, script or image: revalidated on every use (`no-cache` with an ETag of
/// its bytes), so a reload after a save gets a 304 and the browser keeps what it decoded,
/// while a changed file is fetched at once.
fn asset_response(path: &Path, bytes: Vec<u8>, known: Option<String>) -> Response {
    let etag = format!("\"{:016x}\"", crate::hash::hash_bytes(&bytes));
    let unchanged = known.is_some_and(|k| k.split(',').any(|t| t.trim() == etag));
    let mut response = if unchanged {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let mut r = Response::new(Body::from(bytes));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        );
        r
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    response
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain(status: StatusCode, message: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// Content types by extension; text types say UTF-8, or Arabic turns to mojibake.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        // Compressed index files are fetched and inflated by the search module: bytes, with
        // no Content-Encoding, exactly as a static host serves them.
        "gz" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

/// The hosts this server answers to: loopback names and its own address.
fn allowed_host(host: &str, addr: SocketAddr) -> bool {
    let port = addr.port().to_string();
    let Some(name) = host.strip_suffix(&format!(":{port}")) else {
        return false;
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if matches!(name, "localhost" | "127.0.0.1" | "::1") {
        return true;
    }
    match name.parse::<std::net::IpAddr>() {
        // Listening on all interfaces (preview on a phone): any IP address, never a name.
        Ok(ip) => ip == addr.ip() || addr.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// A 403 for a request whose `Host` is not this server (DNS rebinding) or whose `Origin`
/// is another site; `None` when the request may go on.
fn refuse_foreign(headers: &HeaderMap, addr: SocketAddr) -> Option<Response> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !allowed_host(host, addr) {
        return Some(plain(
            StatusCode::FORBIDDEN,
            "this preview answers only to its own address",
        ));
    }
    let origin = headers.get(header::ORIGIN)?;
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.strip_prefix("http://"))
        .unwrap_or("");
    if allowed_host(origin_host, addr) {
        None
    } else {
        Some(plain(StatusCode::FORBIDDEN, "foreign origin refused"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_files_get_the_types_module_scripts_and_fetch_need() {
        // A module script with any other type is refused by the browser.
        let js = content_type(Path::new("search/qissa-search.js"));
        assert_eq!(js, "text/javascript; charset=utf-8");
        let shard = content_type(Path::new("search/terms/0a.bin.gz"));
        assert_eq!(shard, "application/octet-stream");
    }

    #[test]
    fn paths_are_decoded_and_confined() {
        assert_eq!(
            safe_relative_path("/tags/%D9%85%D8%B5%D8%B1/").unwrap(),
            PathBuf::from("tags/مصر")
        );
        assert_eq!(
            safe_relative_path("/tags/مصر/").unwrap(),
            PathBuf::from("tags/مصر")
        );
        assert_eq!(safe_relative_path("/").unwrap(), PathBuf::new());
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/x",
            "/a\\..\\b",
            "/%00",
            "/c:/x",
            "/%FF",
            "/a/../b",
        ] {
            assert!(safe_relative_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts_and_origins() {
        let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert!(allowed_host("127.0.0.1:1111", addr));
        assert!(allowed_host("localhost:1111", addr));
        assert!(!allowed_host("evil.example:1111", addr));
        assert!(!allowed_host("127.0.0.1:2222", addr));
        assert!(!allowed_host("192.168.1.5:1111", addr));
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(allowed_host("192.168.1.5:1111", any));
        assert!(!allowed_host("evil.example:1111", any));
    }
}
