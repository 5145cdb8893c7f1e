//! A session saved in the browser, so a reload (or tomorrow) finds the work where it was left.
//! Plain Rust, no web crate: the UI (`ui::session_storage`) does the reading and writing, this
//! module decides what is written and checks what is read. A save that cannot be read back is an
//! error with a precise message, never a panic: the UI discards it and says so.
//!
//! Storage layout (all under the page's origin):
//! - localStorage `rewind.session` ([`SETTINGS_KEY`]): a [`SavedSession`] as JSON. Small (the
//!   settings and where the log is), rewritten after every change.
//! - The log, as Rewind JSON text, written only when the log changed, in one place:
//!   - localStorage `rewind.log` ([`LOG_KEY`]) up to [`LOCAL_LOG_LIMIT`] bytes;
//!   - IndexedDB database `rewind` ([`IDB_NAME`]), object store `logs` ([`IDB_STORE`]), the one
//!     record `current` ([`IDB_KEY`]) for a larger log (or when localStorage's quota is full);
//!   - nowhere for an untouched built-in sample: the record keeps only the sample's id.
use rewind_engine::formats::{load_log, to_rewind_json, LoadError};
use rewind_engine::plan::TimelineOrder;
use rewind_engine::samples::{self, Sample};
use rewind_engine::session::Session;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The format written now; a save with a higher number came from a newer Rewind.
pub const FORMAT_VERSION: u64 = 1;

/// localStorage key of the saved settings ([`SavedSession`] JSON).
pub const SETTINGS_KEY: &str = "rewind.session";
/// localStorage key of the log's Rewind JSON text, when it is kept there.
pub const LOG_KEY: &str = "rewind.log";
/// IndexedDB database, object store and record key of a log kept there.
pub const IDB_NAME: &str = "rewind";
pub const IDB_STORE: &str = "logs";
pub const IDB_KEY: &str = "current";
/// Logs up to this many bytes of Rewind JSON go to localStorage (whose quota is about 5 million
/// characters per site); larger ones to IndexedDB.
pub const LOCAL_LOG_LIMIT: usize = 2 * 1024 * 1024;

/// Everything about a session but the log's text: what was loaded, where the log is, and the view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSession {
    pub version: u64,
    /// What the person loaded: a sample's label, a file's name, "pasted log".
    pub source: String,
    /// The built-in sample the picker shows (corrected or not); `None` for a log the person brought.
    pub sample: Option<String>,
    /// Where the log's text is; `None` when the log is `sample`, untouched: only its id is kept.
    pub log: Option<SavedLog>,
    /// Timeline position.
    pub cursor: usize,
    /// The stream followed; `None` = all streams.
    pub focus: Option<String>,
    /// Log positions replayed as if missing.
    pub skipped: Vec<usize>,
    pub order: SavedOrder,
    /// Events between snapshots; 0 = snapshots off.
    pub snapshot_interval: usize,
    /// A playback speed's id ("1", "2", "10", "recorded"); an unknown one plays at the default.
    pub speed: String,
    #[serde(rename = "loop")]
    pub looping: bool,
    /// The domain the person chose in the Domain select; `None`: Rewind's choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The watch expressions, in order. Absent from records saved before watches existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watches: Vec<String>,
}

/// Where the log's Rewind JSON text is kept, and what it must look like to belong to this record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedLog {
    pub place: LogPlace,
    /// Length of the text in bytes: a text of another length is cut short or from another save.
    pub bytes: usize,
    /// Events in the log.
    pub events: usize,
    /// How many events at its end were appended in the session (corrections that could be
    /// withdrawn). Kept so withdrawing can survive a reload once `Session` can be told.
    #[serde(default)]
    pub appended: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogPlace {
    #[serde(rename = "localStorage")]
    LocalStorage,
    #[serde(rename = "indexedDB")]
    IndexedDb,
}

impl LogPlace {
    /// Where a log text of `bytes` bytes is written first.
    pub fn for_bytes(bytes: usize) -> LogPlace {
        if bytes <= LOCAL_LOG_LIMIT {
            LogPlace::LocalStorage
        } else {
            LogPlace::IndexedDb
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            LogPlace::LocalStorage => "localStorage",
            LogPlace::IndexedDb => "IndexedDB",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SavedOrder {
    Recorded,
    Effective,
}

impl From<TimelineOrder> for SavedOrder {
    fn from(order: TimelineOrder) -> SavedOrder {
        match order {
            TimelineOrder::AsRecorded => SavedOrder::Recorded,
            TimelineOrder::AsEffective => SavedOrder::Effective,
        }
    }
}

impl From<SavedOrder> for TimelineOrder {
    fn from(order: SavedOrder) -> TimelineOrder {
        match order {
            SavedOrder::Recorded => TimelineOrder::AsRecorded,
            SavedOrder::Effective => TimelineOrder::AsEffective,
        }
    }
}

/// Why a save could not be restored. Each message says what was found, so a bug report can say
/// what went wrong; the UI discards the save either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    /// The record is not JSON, or not the shape of a saved session.
    Corrupt(String),
    /// Written by a newer Rewind, in a format this one does not know.
    FutureVersion { found: u64 },
    /// Names a built-in sample this version does not have, and no log.
    UnknownSample(String),
    /// Names neither a log nor a sample.
    NoLog,
    /// The record says the log is in `place`, and it is not there.
    MissingLog { place: LogPlace },
    /// The log text found is not the one the record was written with.
    WrongLogLength { place: LogPlace, expected: usize, found: usize },
    /// The log text does not load (any more).
    UnreadableLog(String),
    /// The log loads, with another number of events than the record says.
    WrongEventCount { expected: usize, found: usize },
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::Corrupt(why) => write!(f, "the saved settings are damaged: {why}"),
            RestoreError::FutureVersion { found } => write!(
                f,
                "it was saved by a newer version of Rewind (save format {found}; this version reads up to {FORMAT_VERSION})"
            ),
            RestoreError::UnknownSample(id) => write!(f, "it names a sample this version does not have ({id:?})"),
            RestoreError::NoLog => write!(f, "the saved settings name neither a log nor a sample"),
            RestoreError::MissingLog { place } => write!(f, "its log is missing from {}", place.describe()),
            RestoreError::WrongLogLength { place, expected, found } => write!(
                f,
                "the log in {} is {found} bytes long where {expected} were saved: it was cut short or belongs to another save",
                place.describe()
            ),
            RestoreError::UnreadableLog(why) => write!(f, "its log no longer loads: {why}"),
            RestoreError::WrongEventCount { expected, found } => {
                write!(f, "its log has {found} events where {expected} were saved")
            }
        }
    }
}

impl std::error::Error for RestoreError {}

/// A restored session and the sample it is (for the picker), ready to be shown.
pub struct Restored {
    pub session: Session,
    pub sample: Option<&'static str>,
}

impl SavedSession {
    /// The record of `session` as a view: its source, skips, order and snapshot interval; the
    /// cursor at 0, all streams, default playback (the caller fills those in). `log` says where
    /// its text is written, `None` for an untouched `sample` (see [`untouched_sample`]).
    pub fn new(session: &Session, sample: Option<&str>, log: Option<SavedLog>) -> SavedSession {
        SavedSession {
            version: FORMAT_VERSION,
            source: session.source().to_string(),
            sample: sample.map(String::from),
            log,
            cursor: 0,
            focus: None,
            skipped: session.skipped().iter().copied().collect(),
            order: session.order().into(),
            snapshot_interval: session.snapshot_interval(),
            speed: "1".into(),
            looping: false,
            domain: session.domain_chosen().then(|| session.domain().name().to_string()),
            watches: Vec::new(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a saved session serializes")
    }

    /// Reads a record, checking its format version before its shape, so a newer save is told
    /// apart from a damaged one.
    pub fn from_json(text: &str) -> Result<SavedSession, RestoreError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| RestoreError::Corrupt(format!("not JSON ({e})")))?;
        let Some(object) = value.as_object() else {
            return Err(RestoreError::Corrupt(format!("expected an object, found {}", kind_of(&value))));
        };
        let version = match object.get("version") {
            None => return Err(RestoreError::Corrupt("no format version".into())),
            Some(version) => version.as_u64().filter(|&v| v >= 1).ok_or_else(|| {
                RestoreError::Corrupt(format!("the format version must be a whole number from 1, found {version}"))
            })?,
        };
        if version > FORMAT_VERSION {
            return Err(RestoreError::FutureVersion { found: version });
        }
        let saved: SavedSession = serde_json::from_value(value).map_err(|e| RestoreError::Corrupt(e.to_string()))?;
        if saved.log.is_none() {
            match saved.sample.as_deref() {
                None => return Err(RestoreError::NoLog),
                Some(id) if samples::find(id).is_none() => return Err(RestoreError::UnknownSample(id.into())),
                Some(_) => {}
            }
        }
        Ok(saved)
    }

    /// Rebuilds the session: its log (`log_text`, the text found where `self.log` says, `None`
    /// when nothing was there or the record names an untouched sample), then its order, skips
    /// and snapshot interval. The cursor, focus and playback are the caller's to apply.
    pub fn restore(&self, log_text: Option<&str>) -> Result<Restored, RestoreError> {
        let sample = self.sample.as_deref().and_then(samples::find);
        let session = match &self.log {
            None => {
                let sample = sample.ok_or_else(|| match &self.sample {
                    Some(id) => RestoreError::UnknownSample(id.clone()),
                    None => RestoreError::NoLog,
                })?;
                Session::load(sample.label, sample.text).map_err(|e| RestoreError::UnreadableLog(e.to_string()))?
            }
            Some(_) => {
                let text = self.checked_text(log_text)?;
                return self.restored(Session::load(self.source.as_str(), text));
            }
        };
        Ok(Restored { session: self.apply_view(session), sample: sample.map(|s| s.id) })
    }

    /// The saved log's text (found where `self.log` says), if it is as long as the record says.
    pub fn checked_text<'t>(&self, log_text: Option<&'t str>) -> Result<&'t str, RestoreError> {
        let Some(saved) = &self.log else { return Err(RestoreError::NoLog) };
        let text = log_text.ok_or(RestoreError::MissingLog { place: saved.place })?;
        if text.len() != saved.bytes {
            return Err(RestoreError::WrongLogLength { place: saved.place, expected: saved.bytes, found: text.len() });
        }
        Ok(text)
    }

    /// The session from the saved log's text, loaded by the caller (as `restore` does, or in
    /// slices): checked against the record, then with its appended corrections and its view.
    pub fn restored(&self, loaded: Result<Session, LoadError>) -> Result<Restored, RestoreError> {
        let Some(saved) = &self.log else { return Err(RestoreError::NoLog) };
        let session = loaded.map_err(|e| RestoreError::UnreadableLog(first_line(&e.to_string())))?;
        if session.len() != saved.events {
            return Err(RestoreError::WrongEventCount { expected: saved.events, found: session.len() });
        }
        let sample = self.sample.as_deref().and_then(samples::find);
        Ok(Restored { session: self.apply_view(session.with_appended(saved.appended)), sample: sample.map(|s| s.id) })
    }

    /// The same log with this record's order, skips and snapshot interval, in one replay.
    fn apply_view(&self, session: Session) -> Session {
        // A domain no longer registered is left to Rewind's choice.
        let session = match self.domain.as_deref().and_then(rewind_engine::domain::chosen) {
            Some(choice) => session.with_domain(choice),
            None => session,
        };
        session.with_view(TimelineOrder::from(self.order), self.skipped.iter().copied(), self.snapshot_interval)
    }
}

/// What the record says about a log written as `bytes` bytes of text to `place`.
pub fn saved_log(session: &Session, bytes: usize, place: LogPlace) -> SavedLog {
    SavedLog { place, bytes, events: session.len(), appended: appended_count(session) }
}

/// How many events at the end of the log were appended in this session.
pub fn appended_count(session: &Session) -> usize {
    (0..session.len()).rev().take_while(|&p| session.is_appended_here(p)).count()
}

/// The sample `sample` names, if `session`'s log is exactly that sample as it ships (nothing
/// appended): then only its id needs saving.
pub fn untouched_sample(session: &Session, sample: Option<&str>) -> Option<&'static Sample> {
    let sample = samples::find(sample?)?;
    if appended_count(session) > 0 {
        return None;
    }
    let shipped = load_log(sample.text).ok()?;
    (shipped.len() == session.len() && to_rewind_json(&shipped) == to_rewind_json(session.log())).then_some(sample)
}

/// Where the log of a stored record (`record`, its JSON text) is kept, read without checking
/// the rest of the record: a record this version cannot restore (damaged, from a newer Rewind)
/// still says which place a save over it must clear.
pub fn log_place_of(record: &str) -> Option<LogPlace> {
    let value: serde_json::Value = serde_json::from_str(record).ok()?;
    serde_json::from_value(value.get("log")?.get("place")?.clone()).ok()
}

/// Whether a change another tab made to the origin's storage (a `storage` event: its key, `None`
/// when the whole storage was cleared, and its new value) replaced the session this tab saved;
/// `ours` is the record this tab last wrote or restored. The browser reports only changes made
/// elsewhere, and only when the value differs.
pub fn replaced_by_other_tab(key: Option<&str>, new_value: Option<&str>, ours: Option<&str>) -> bool {
    match key {
        None => true,
        Some(SETTINGS_KEY) => new_value != ours,
        Some(LOG_KEY) => true,
        Some(_) => false,
    }
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A load error's first line: the headline, without the excerpt of a 100 MB text.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_string()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use rewind_engine::correction::{is_correction, CorrectionDraft};

    const CLASSIC: &str =
        r#"[{"type":"Deposit","amount":100},{"type":"Withdraw","amount":30},{"type":"Deposit","amount":50}]"#;

    /// `session` with a corrective deposit of 5 appended.
    fn with_a_deposit(session: &Session) -> Session {
        let draft = CorrectionDraft {
            type_name: "Deposit".into(),
            data: serde_json::from_str(r#"{"amount":5}"#).unwrap(),
            reason: "test".into(),
            ..CorrectionDraft::default()
        };
        session.with_correction(&draft, "2024-05-01T10:00:00Z").unwrap()
    }

    fn corrected() -> Session {
        with_a_deposit(&Session::load("pasted log", CLASSIC).unwrap())
    }

    /// A record of the corrected classic log with every setting changed, and its log text.
    fn saved() -> (SavedSession, String) {
        let session = corrected().with_skip(2, true).with_order(TimelineOrder::AsEffective).with_snapshot_interval(2);
        let text = to_rewind_json(session.log());
        let log = saved_log(&session, text.len(), LogPlace::for_bytes(text.len()));
        let mut saved = SavedSession::new(&session, None, Some(log));
        saved.cursor = 2;
        saved.focus = Some("default".into());
        saved.speed = "2".into();
        saved.looping = true;
        (saved, text)
    }

    #[test]
    fn the_domain_the_person_chose_is_saved_and_restored() {
        let text = r#"[{"type":"ItemAdded","stream":"c","Description":"Shoes"}]"#;
        let session = Session::load("cart", text).unwrap();
        assert!(SavedSession::new(&session, None, None).domain.is_none(), "Rewind's choice is not saved");
        let chosen = session.with_domain(rewind_engine::domain::chosen("store").unwrap());
        let bytes = rewind_engine::formats::to_rewind_json(chosen.log());
        let log = saved_log(&chosen, bytes.len(), LogPlace::LocalStorage);
        let saved = SavedSession::from_json(&SavedSession::new(&chosen, None, Some(log)).to_json()).unwrap();
        assert_eq!(saved.domain.as_deref(), Some("store"));
        let restored = saved.restore(Some(&bytes)).unwrap().session;
        assert_eq!((restored.domain().name(), restored.domain_chosen()), ("store", true));
    }

    #[test]
    fn a_session_round_trips_with_its_corrections_skips_and_settings() {
        let (saved, text) = saved();
        let json = saved.to_json();
        assert_eq!(SavedSession::from_json(&json).unwrap(), saved);
        assert!(!json.contains("Deposit"), "the settings record does not carry the log: {json}");

        let restored = saved.restore(Some(&text)).unwrap();
        let session = restored.session;
        assert_eq!(restored.sample, None);
        assert_eq!(session.source(), "pasted log");
        assert_eq!(session.len(), 4);
        assert!(is_correction(&session.log().events()[3]), "the correction is still a correction");
        assert_eq!(session.skipped().iter().copied().collect::<Vec<_>>(), [2]);
        assert_eq!(session.order(), TimelineOrder::AsEffective);
        assert_eq!(session.snapshot_interval(), 2);
        assert_eq!(to_rewind_json(session.log()), text, "the log is the same log");
        assert_eq!(saved.log.as_ref().unwrap().appended, 1);
    }

    #[test]
    fn the_record_names_its_fields_plainly() {
        let (saved, _) = saved();
        let value: serde_json::Value = serde_json::from_str(&saved.to_json()).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["order"], "effective");
        assert_eq!(value["loop"], true);
        assert_eq!(value["log"]["place"], "localStorage");
        assert_eq!(value["skipped"], serde_json::json!([2]));
    }

    #[test]
    fn watches_are_saved_in_order_and_a_record_from_before_watches_has_none() {
        let (mut saved, _) = saved();
        saved.watches = vec!["stream.balance".into(), r#"state["acc-1"].balance > 5"#.into()];
        let json = saved.to_json();
        assert_eq!(SavedSession::from_json(&json).unwrap().watches, saved.watches);
        saved.watches.clear();
        let older = saved.to_json();
        assert!(!older.contains("watches"), "no watches, no field: {older}");
        assert_eq!(SavedSession::from_json(&older).unwrap().watches, Vec::<String>::new());
    }

    #[test]
    fn an_untouched_sample_is_saved_as_its_id_alone() {
        let sample = samples::find("store").unwrap();
        let session = Session::load(sample.label, sample.text).unwrap();
        assert_eq!(untouched_sample(&session, Some("store")).map(|s| s.id), Some("store"));
        let saved = SavedSession::new(&session, Some("store"), None);
        let json = saved.to_json();
        assert!(json.len() < 300, "small: {json}");

        let restored = SavedSession::from_json(&json).unwrap().restore(None).unwrap();
        assert_eq!(restored.sample, Some("store"));
        assert_eq!(to_rewind_json(restored.session.log()), to_rewind_json(session.log()));
        assert_eq!(restored.session.snapshot_interval(), session.snapshot_interval());
    }

    #[test]
    fn a_corrected_or_another_log_is_not_the_sample() {
        let bank = samples::find("bank").unwrap();
        let session = Session::load(bank.label, bank.text).unwrap();
        assert!(untouched_sample(&session, Some("bank")).is_some());
        assert!(untouched_sample(&session, Some("store")).is_none(), "another sample's log");
        assert!(untouched_sample(&session, None).is_none());
        let corrected = with_a_deposit(&session);
        assert!(untouched_sample(&corrected, Some("bank")).is_none(), "a correction was appended");
        let pasted = Session::load("pasted log", CLASSIC).unwrap();
        assert!(untouched_sample(&pasted, Some("bank")).is_none(), "same events, other text");
    }

    #[test]
    fn a_corrected_sample_keeps_its_log_and_still_names_the_sample() {
        let bank = samples::find("bank").unwrap();
        let session = Session::load(bank.label, bank.text).unwrap();
        let corrected = with_a_deposit(&session);
        let text = to_rewind_json(corrected.log());
        let saved = SavedSession::new(
            &corrected,
            Some("bank"),
            Some(saved_log(&corrected, text.len(), LogPlace::LocalStorage)),
        );
        let restored = SavedSession::from_json(&saved.to_json()).unwrap().restore(Some(&text)).unwrap();
        assert_eq!(restored.sample, Some("bank"));
        assert_eq!(restored.session.len(), 4);
        // Reloaded, the correction is part of the log as loaded: saving again stores the text.
        assert!(untouched_sample(&restored.session, Some("bank")).is_none());
    }

    #[test]
    fn large_logs_go_to_indexeddb() {
        assert_eq!(LogPlace::for_bytes(10), LogPlace::LocalStorage);
        assert_eq!(LogPlace::for_bytes(LOCAL_LOG_LIMIT), LogPlace::LocalStorage);
        assert_eq!(LogPlace::for_bytes(LOCAL_LOG_LIMIT + 1), LogPlace::IndexedDb);
    }

    #[test]
    fn skips_beyond_the_log_are_ignored() {
        let (mut saved, text) = saved();
        saved.skipped = vec![1, 99];
        let session = saved.restore(Some(&text)).unwrap().session;
        assert_eq!(session.skipped().iter().copied().collect::<Vec<_>>(), [1]);
    }

    fn error_of(json: &str) -> RestoreError {
        SavedSession::from_json(json).unwrap_err()
    }

    #[test]
    fn garbage_is_a_corrupt_save_with_where_it_broke() {
        let error = error_of("garbage{");
        assert!(matches!(error, RestoreError::Corrupt(_)), "{error:?}");
        assert_eq!(error.to_string(), "the saved settings are damaged: not JSON (expected value at line 1 column 1)");
        assert_eq!(error_of("[1]").to_string(), "the saved settings are damaged: expected an object, found an array");
    }

    #[test]
    fn a_save_without_a_version_or_with_a_bad_one_is_corrupt() {
        assert_eq!(error_of("{}").to_string(), "the saved settings are damaged: no format version");
        assert_eq!(
            error_of(r#"{"version":"1"}"#).to_string(),
            r#"the saved settings are damaged: the format version must be a whole number from 1, found "1""#
        );
        assert!(matches!(error_of(r#"{"version":0}"#), RestoreError::Corrupt(_)));
    }

    #[test]
    fn a_save_from_a_newer_rewind_says_so() {
        let (saved, _) = saved();
        let json = saved.to_json().replacen("\"version\":1", "\"version\":7", 1);
        let error = error_of(&json);
        assert_eq!(error, RestoreError::FutureVersion { found: 7 });
        assert_eq!(
            error.to_string(),
            "it was saved by a newer version of Rewind (save format 7; this version reads up to 1)"
        );
    }

    #[test]
    fn a_wrong_shape_names_the_field() {
        let (saved, _) = saved();
        let missing = saved.to_json().replacen("\"cursor\":2,", "", 1);
        assert!(error_of(&missing).to_string().contains("missing field `cursor`"), "{}", error_of(&missing));
        let sideways = saved.to_json().replacen("\"effective\"", "\"sideways\"", 1);
        let message = error_of(&sideways).to_string();
        assert!(message.contains("unknown variant `sideways`, expected `recorded` or `effective`"), "{message}");
        let negative = saved.to_json().replacen("\"cursor\":2", "\"cursor\":-2", 1);
        assert!(matches!(error_of(&negative), RestoreError::Corrupt(_)));
    }

    #[test]
    fn a_save_must_name_a_log_or_a_known_sample() {
        let bank = samples::find("bank").unwrap();
        let session = Session::load(bank.label, bank.text).unwrap();
        let nothing = SavedSession::new(&session, None, None).to_json();
        assert_eq!(error_of(&nothing), RestoreError::NoLog);
        let gone = SavedSession::new(&session, Some("atlantis"), None).to_json();
        assert_eq!(error_of(&gone).to_string(), r#"it names a sample this version does not have ("atlantis")"#);
    }

    #[test]
    fn a_missing_cut_or_foreign_log_is_refused() {
        let (saved, text) = saved();
        let error = |log: Option<&str>| saved.restore(log).err().expect("refused");
        assert_eq!(error(None).to_string(), "its log is missing from localStorage");
        assert_eq!(
            error(Some(&text[..10])).to_string(),
            format!(
                "the log in localStorage is 10 bytes long where {} were saved: it was cut short or belongs to another save",
                text.len()
            )
        );
        let garbage = "x".repeat(text.len());
        let unreadable = error(Some(&garbage));
        assert!(matches!(unreadable, RestoreError::UnreadableLog(_)), "{unreadable:?}");
        assert!(unreadable.to_string().starts_with("its log no longer loads: "), "{unreadable}");
        assert!(!unreadable.to_string().contains('\n'), "one line: {unreadable}");

        // Same length, one event fewer: another save's log.
        let mut fewer = saved.clone();
        fewer.log.as_mut().unwrap().events = 5;
        assert_eq!(fewer.restore(Some(&text)).err().unwrap().to_string(), "its log has 4 events where 5 were saved");
    }

    #[test]
    fn the_place_of_a_log_is_read_from_any_record_that_names_one() {
        let (saved, _) = saved();
        assert_eq!(log_place_of(&saved.to_json()), Some(LogPlace::LocalStorage));
        let newer = r#"{"version":99,"log":{"place":"indexedDB","whatever":1}}"#;
        assert_eq!(log_place_of(newer), Some(LogPlace::IndexedDb));
        assert_eq!(log_place_of(r#"{"version":1,"sample":"bank","log":null}"#), None);
        assert_eq!(log_place_of(r#"{"log":{"place":"the moon"}}"#), None);
        assert_eq!(log_place_of("garbage{"), None);
    }

    #[test]
    fn another_tab_replaces_the_session_when_it_writes_another_record_or_log() {
        let ours = Some("{\"version\":1}");
        assert!(!replaced_by_other_tab(Some(SETTINGS_KEY), ours, ours), "the same record");
        assert!(replaced_by_other_tab(Some(SETTINGS_KEY), Some("{\"version\":1,\"cursor\":2}"), ours));
        assert!(replaced_by_other_tab(Some(SETTINGS_KEY), None, ours), "removed by New session");
        assert!(replaced_by_other_tab(Some(LOG_KEY), Some("[]"), ours), "its log written over");
        assert!(replaced_by_other_tab(None, None, ours), "storage cleared");
        assert!(!replaced_by_other_tab(Some("rewind.layout"), Some("x"), ours), "another key");
        assert!(replaced_by_other_tab(Some(SETTINGS_KEY), Some("{}"), None), "nothing of ours yet");
    }
}
