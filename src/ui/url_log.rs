//! A log named by the page's URL, loaded at start-up: a share link's `#log=<encoded>` (the log
//! itself, deflated) or `?log=<url>` (fetched, same-origin or CORS). Either replaces the restored
//! session, as following a link should; then it leaves the URL, so a reload restores the work
//! done since (saved with the session) instead of loading the link's log again.
use super::open_log_file::{load_decoded_in_slices, read_text_in_slices, Loading, Phase, Request, Task};
use super::state::{Loaded, Loader, LogSource};
use crate::location::Location;
use crate::share;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::formats::{check_size, LoadError, DEFAULT_MAX_BYTES};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// What a log from a share link is called.
const SHARED_SOURCE: &str = "shared link";

/// Shows the log a share link carries in `hash` (`#log=…`), then takes it out of the URL.
pub fn load_shared_link(loader: Loader, hash: &str) {
    if let Some(encoded) = share::log_in_fragment(hash) {
        match share::decode_log(encoded) {
            Ok(text) => {
                loader.load(SHARED_SOURCE, &text, None);
            }
            Err(message) => loader.loaded.load_error.set(Some(message)),
        }
    }
    let location = window().location();
    let rest = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        share::without_log(hash)
    );
    replace_url(&rest);
}

/// True when the page's query names a log (`?log=…`), whether or not it is a URL.
pub fn has_log_parameter() -> bool {
    let href = window().location().href().unwrap_or_default();
    web_sys::Url::new(&href).is_ok_and(|page| page.search_params().has("log"))
}

/// Fetches the log `?log=` names and shows it when it arrives, at the position and stream `hash`
/// names (captured now: by then the fragment shows the log loaded before).
pub fn fetch_log_parameter(loader: Loader, loading: Loading, hash: &str) {
    if let Some((shown, url)) = log_parameter(loader.loaded) {
        fetch_and_load(loader, loading, shown, url, Location::parse(hash));
    }
}

/// `?log=` as written and resolved against the page; a value that is not a URL is refused here.
fn log_parameter(loaded: Loaded) -> Option<(String, String)> {
    let href = window().location().href().ok()?;
    let page = web_sys::Url::new(&href).ok()?;
    let written = page.search_params().get("log")?;
    match web_sys::Url::new_with_base(&written, &href) {
        Ok(url) => Some((written, url.href())),
        Err(_) => {
            loaded
                .load_error
                .set(Some(format!("The log= parameter \"{written}\" is not a URL, so no log was fetched.")));
            None
        }
    }
}

fn fetch_and_load(loader: Loader, loading: Loading, shown: String, url: String, location: Location) {
    let (loaded, cursor, inspection) = (loader.loaded, loader.cursor, loader.inspection);
    let id = loading.begin(Some(Task { what: shown.clone(), phase: Phase::Fetching }));
    spawn_local(async move {
        let result = fetch_text(&url, loading, id).await;
        if !loading.is_current(id) {
            return;
        }
        let text = match result {
            Ok(Some(text)) => text,
            Ok(None) => return,
            Err(reason) => {
                loading.finish(id);
                loaded.load_error.set(Some(format!("Could not fetch {shown}: {reason}")));
                return;
            }
        };
        let source = LogSource::Url { name: source_name(&url), url: url.clone() };
        let shown = load_decoded_in_slices(loader, loading, id, &Request::remembered(source), text).await;
        if shown {
            // The position and stream the link named, now that its log is here.
            if let Some(stream) =
                location.stream.filter(|name| loaded.session.with_untracked(|s| s.stream(name).is_some()))
            {
                inspection.focus.set(Some(stream));
            }
            if let Some(at) = location.at {
                cursor.seek(at);
            }
            remove_log_parameter();
        }
    });
}

/// The body's text (or why its bytes are not text), or why there is none: the HTTP status, the
/// size limit, or a request the browser refused (the network, or a server without CORS: the page
/// is not told which). The body arrives as a Blob and is copied into WebAssembly a slice at a
/// time, so a large one holds no long task.
pub(super) async fn fetch_text(
    url: &str,
    loading: Loading,
    id: u64,
) -> Result<Option<Result<String, LoadError>>, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|_| "the server did not allow it or could not be reached (network or CORS)".to_string())?;
    if !response.ok() {
        let status = response.status();
        let text = response.status_text();
        let text = if text.is_empty() { reason_phrase(status).to_string() } else { text };
        return Err(format!("HTTP {status} {text}").trim_end().to_string());
    }
    let declared = response.headers().get("content-length").and_then(|l| l.parse::<usize>().ok());
    if let Some(length) = declared {
        check_size(length, DEFAULT_MAX_BYTES).map_err(|e| e.to_string())?;
    }
    let interrupted = |_| "the download was interrupted".to_string();
    let body = web_sys::Response::from(response).blob().map_err(interrupted)?;
    let blob = gloo_file::Blob::from(web_sys::Blob::from(JsFuture::from(body).await.map_err(interrupted)?));
    check_size(usize::try_from(blob.size()).unwrap_or(usize::MAX), DEFAULT_MAX_BYTES).map_err(|e| e.to_string())?;
    let total = blob.size();
    read_text_in_slices(&blob, |done| loading.set_phase(id, Phase::Reading { done, total }), || loading.is_current(id))
        .await
}

/// The reason phrase for statuses a server may send without one (HTTP/2 has none).
fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// A log's name from its URL: the last segment of the path (`orders.ndjson`), else the host.
fn source_name(url: &str) -> String {
    let Ok(parsed) = web_sys::Url::new(url) else { return url.to_string() };
    let path = parsed.pathname();
    let last = path.rsplit('/').find(|segment| !segment.is_empty()).unwrap_or_default();
    if last.is_empty() {
        return parsed.host();
    }
    js_sys::decode_uri_component(last).map(String::from).unwrap_or_else(|_| last.to_string())
}

/// Drops `log` from the query once its log is loaded, keeping the rest of the URL.
fn remove_log_parameter() {
    let Ok(href) = window().location().href() else { return };
    let Ok(url) = web_sys::Url::new(&href) else { return };
    url.search_params().delete("log");
    replace_url(&url.href());
}

/// Changes the address without a reload, a history entry or a hashchange.
fn replace_url(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}
