//! A log named by the page's URL, loaded at start-up: a share link's `#log=<encoded>` (the log
//! itself, deflated) or `?log=<url>` (fetched, same-origin or CORS). Either replaces the restored
//! session, as following a link should; then it leaves the URL, so a reload restores the work
//! done since (saved with the session) instead of loading the link's log again.
use super::open_log_file::{load_decoded_in_slices, Loading, Phase, Request, Task};
use super::state::{Loaded, Loader, LogSource};
use crate::location::Location;
use crate::share;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::formats::{check_size, DecodeInPieces, LoadError, DEFAULT_MAX_BYTES};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What a log from a share link is called.
const SHARED_SOURCE: &str = "shared link";

/// A server that sends nothing (no answer, or no more of the body) for this long is given up on.
const SILENCE: Duration = Duration::from_secs(20);

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
/// size limit, a server silent for `SILENCE`, or a request the browser refused (the network, or a
/// server without CORS: the page is not told which). `Ok(None)` once the load is cancelled or
/// superseded. The body is read as it streams in, each piece decoded as it comes, and the
/// request is aborted as soon as it is not wanted: on Cancel, past the size limit (declared or
/// not), when the server goes silent, and on every return.
pub(super) async fn fetch_text(
    url: &str,
    loading: Loading,
    id: u64,
) -> Result<Option<Result<String, LoadError>>, String> {
    let watchdog = Watchdog::start(loading, id)?;
    let sent = gloo_net::http::Request::get(url).abort_signal(Some(&watchdog.controller.signal())).send().await;
    let response = match sent {
        Ok(response) => response,
        Err(_) => return watchdog.why_stopped("the server did not allow it or could not be reached (network or CORS)"),
    };
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
    let Some(body) = web_sys::Response::from(response).body() else {
        return Ok(Some(Err(LoadError::EmptyFile)));
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut decode = DecodeInPieces::new(declared.unwrap_or(0));
    let (mut received, mut piece) = (0usize, Vec::new());
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(_) => return watchdog.why_stopped("the download was interrupted"),
        };
        watchdog.heard();
        if js_sys::Reflect::get(&chunk, &JsValue::from_str("done")).ok().and_then(|d| d.as_bool()) != Some(false) {
            break;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) else { break };
        let array = js_sys::Uint8Array::new(&value);
        received += array.length() as usize;
        if received > DEFAULT_MAX_BYTES {
            return Err(format!(
                "it sent more than the {} MB limit and was stopped rather than freeze the page. Load a smaller \
                 part of the log.",
                DEFAULT_MAX_BYTES / (1024 * 1024)
            ));
        }
        piece.resize(array.length() as usize, 0);
        array.copy_to(&mut piece);
        decode.push(&piece).map_err(|_| "there is not enough memory to read it".to_string())?;
        // A compressed body's declared length is of the bytes sent, fewer than arrive here.
        if let Some(total) = declared {
            loading.set_phase(id, Phase::Reading { done: received.min(total) as u64, total: total as u64 });
        }
    }
    Ok(Some(decode.finish()))
}

/// Aborts a fetch when its load is cancelled or superseded, or when nothing arrives for `SILENCE`;
/// and, dropped, on every return (past the size limit, a refusal, or done: aborting a finished
/// fetch does nothing).
struct Watchdog {
    controller: web_sys::AbortController,
    last_heard: Rc<Cell<f64>>,
    silent: Rc<Cell<bool>>,
    loading: Loading,
    id: u64,
    interval: Option<leptos::leptos_dom::helpers::IntervalHandle>,
}

impl Watchdog {
    fn start(loading: Loading, id: u64) -> Result<Watchdog, String> {
        let controller =
            web_sys::AbortController::new().map_err(|_| "this browser cannot stop a download".to_string())?;
        let (last_heard, silent) = (Rc::new(Cell::new(js_sys::Date::now())), Rc::new(Cell::new(false)));
        let watch = {
            let (controller, last_heard, silent) = (controller.clone(), Rc::clone(&last_heard), Rc::clone(&silent));
            move || {
                if !loading.is_current(id) {
                    controller.abort();
                } else if js_sys::Date::now() - last_heard.get() > SILENCE.as_millis() as f64 {
                    silent.set(true);
                    controller.abort();
                }
            }
        };
        let interval = set_interval_with_handle(watch, Duration::from_millis(250)).ok();
        Ok(Watchdog { controller, last_heard, silent, loading, id, interval })
    }

    fn heard(&self) {
        self.last_heard.set(js_sys::Date::now());
    }

    /// Why the fetch failed: stopped because no longer wanted (`Ok(None)`), silent too long, or
    /// `otherwise`.
    fn why_stopped<T>(&self, otherwise: &str) -> Result<Option<T>, String> {
        if !self.loading.is_current(self.id) {
            Ok(None)
        } else if self.silent.get() {
            Err(format!("the server sent nothing for {} seconds", SILENCE.as_secs()))
        } else {
            Err(otherwise.to_string())
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(interval) = self.interval.take() {
            interval.clear();
        }
        self.controller.abort();
    }
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
