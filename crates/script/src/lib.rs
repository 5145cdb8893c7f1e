//! Reducers written by the person, in Rhai, behind the engine's `Domain` trait: a script domain
//! replays, blames, diffs, skips and takes corrections like a compiled one.
//!
//! The contract (see the README): `fn init(stream)` (optional; default `#{}`), `fn apply(state,
//! event)` returning the new state (required), `fn check(state, event)` returning `()`, a string
//! or an array of strings — violations at that event, which still applies (optional; `this` is
//! the state before the event). `event` is a map: `type`, `stream`, `data`, `meta`, `id`, `seq`,
//! `recorded_at`, `effective_at`, `position`, `stream_is_default`; an absent value is `()`.
//!
//! Sandboxed: no clock, no randomness, no I/O, no modules; limits on operations, call depth,
//! expression depth, string, array and map sizes, so an endless loop stops with a message at the
//! event that ran it. Numbers: JSON integers are integers, every other number is an exact decimal
//! (no floats), so `0.1 + 0.2 == 0.3` as in the built-in bank.
mod projections;
pub mod query;
mod testgen;

pub use projections::PREFIX as PROJECTION_PREFIX;
use rewind_engine::domain::{DataError, Domain, DomainChoice, EventRef, Reducer, Step};
use rewind_engine::log::{Log, ReducerScript};
use rewind_engine::plan::Plan;
use rewind_engine::timeline::{snapshot_interval_for, ReplayBuild, TimelineBuild};
use rhai::packages::Package;
use rhai::{CallFnOptions, Dynamic, Engine, EvalAltResult, Map, Position, Scope, AST};
use rust_decimal::Decimal;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
pub use testgen::run_fixture;

/// The language name a log's `"reducer"` says.
pub const LANGUAGE: &str = "rhai";

/// How far one call of a script function may go before it is stopped.
pub const MAX_OPERATIONS: u64 = 200_000;
const MAX_CALL_LEVELS: usize = 48;
const MAX_EXPR_DEPTH: usize = 64;
const MAX_STRING: usize = 1 << 20;
const MAX_ARRAY: usize = 100_000;
const MAX_MAP: usize = 100_000;
/// How much stack one call into a script may use. The call-depth and expression-depth limits
/// alone let a script nest far deeper than the page's stack (1 MB in WebAssembly, where running
/// past it corrupts memory rather than stopping): 48 calls each inside 25 nested expressions took
/// over 2 MB natively. Checked at every operation (see `sandbox`), so a script is stopped with the
/// same message as endless recursion well before the stack runs out.
const MAX_STACK_BYTES: usize = 256 * 1024;
/// What the stack check stops a script with (`EvalAltResult::ErrorTerminated`).
const STACK_TOKEN: &str = "rewind: stack limit";
/// How long one call into a script may run: a backstop for what the operation limit cannot
/// see. One operation may copy a 100,000-element array (`let b = a + [1];`), so 200,000 of them
/// took 56 s for one event in a release build, and a log from a stranger carries its script. The
/// script never sees the clock; the host stops it, with a message at its event. Far above what a
/// reducer needs (microseconds per event), so a result depends on the clock only for a script
/// that would have held the page anyway.
pub const MAX_CALL_TIME: std::time::Duration = std::time::Duration::from_secs(2);
/// The clock is read every this many operations.
const TIME_CHECK_EVERY: u64 = 256;
/// What the time check stops a script with.
const TIME_TOKEN: &str = "rewind: time limit";

/// About how many times a compiled domain's work a script does per event (measured on the bank).
const SCRIPT_COST: usize = 8;

/// The built-in domains written as scripts, for the Domain select and the parity tests.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("bank.rhai", include_str!("../../../domains/bank.rhai")),
    ("store.rhai", include_str!("../../../domains/store.rhai")),
];

/// Why a script does not compile, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// 1-based line and column, when the parser knows them.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// A compiled reducer script: a domain like any other.
#[derive(Clone)]
pub struct ScriptDomain {
    name: Arc<str>,
    engine: Arc<Engine>,
    ast: Arc<AST>,
    has_init: bool,
    has_check: bool,
    /// The projections the script defines (`project_NAME`), by NAME.
    projections: Vec<String>,
}

impl ScriptDomain {
    /// Compiles `source`; the domain is shown as `name` (a file name, "your reducer").
    pub fn compile(name: &str, source: &str) -> Result<ScriptDomain, CompileError> {
        let engine = sandbox();
        let ast = engine.compile(source).map_err(|error| CompileError {
            line: error.position().line(),
            column: error.position().position(),
            message: error.err_type().to_string(),
        })?;
        let defines =
            |function: &str, arity: usize| ast.iter_functions().any(|f| f.name == function && f.params.len() == arity);
        if !defines("apply", 2) {
            return Err(CompileError {
                line: None,
                column: None,
                message:
                    "the script has no fn apply(state, event): it must return a stream's state after one more event"
                        .into(),
            });
        }
        let (has_init, has_check) = (defines("init", 1), defines("check", 2));
        let mut projections: Vec<String> = ast
            .iter_functions()
            .filter(|f| f.params.len() == 2)
            .filter_map(|f| f.name.strip_prefix("project_").map(String::from))
            .filter(|name| !name.is_empty())
            .collect();
        projections.sort();
        projections.dedup();
        Ok(ScriptDomain {
            name: name.into(),
            engine: Arc::new(engine),
            ast: Arc::new(ast),
            has_init,
            has_check,
            projections,
        })
    }

    /// True when the script defines `function` with `arity` parameters.
    fn defines(&self, function: &str, arity: usize) -> bool {
        self.ast.iter_functions().any(|f| f.name == function && f.params.len() == arity)
    }

    /// The script a log carries, compiled; `None` when it carries none.
    pub fn of_log(log: &Log) -> Option<Result<ScriptDomain, CompileError>> {
        let script = log.reducer()?;
        if script.language != LANGUAGE {
            return Some(Err(CompileError {
                line: None,
                column: None,
                message: format!("the log's reducer is written in {:?}; Rewind runs {LANGUAGE:?}", script.language),
            }));
        }
        Some(ScriptDomain::compile("the log's reducer", &script.source))
    }

    /// The built-in script `name` (`bank.rhai`, any case): its source and its domain.
    pub fn built_in(name: &str) -> Option<(&'static str, ScriptDomain)> {
        let (file, source) = BUILT_IN.iter().find(|(file, _)| file.eq_ignore_ascii_case(name.trim()))?;
        // The parity tests compile every built-in script.
        Some((source, ScriptDomain::compile(file, source).expect("a built-in script compiles")))
    }

    /// The log's own reducer as the domain that replays it, for `SessionLoad::with_domain_from`:
    /// `None` when it carries none, or one that does not compile (the editor shows why).
    pub fn carried(log: &Log) -> Option<DomainChoice> {
        Some(DomainChoice::script(Arc::new(ScriptDomain::of_log(log)?.ok()?)))
    }

    fn call(&self, function: &str, this: Option<&mut Dynamic>, args: Vec<Dynamic>) -> Result<Dynamic, DataError> {
        let _mark = StackMark::here();
        let mut options = CallFnOptions::new().eval_ast(false);
        if let Some(this) = this {
            options = options.bind_this_ptr(this);
        }
        self.engine
            .call_fn_with_options::<Dynamic>(options, &mut Scope::new(), &self.ast, function, args)
            .map_err(|error| DataError::said(runtime_message(function, &error)))
    }
}

/// `source` as a log carries it.
pub fn script(source: &str) -> ReducerScript {
    ReducerScript { language: LANGUAGE.into(), source: source.into() }
}

/// The engine every script runs in: the standard functions, no clock, no I/O, limits everywhere.
fn sandbox() -> Engine {
    let mut engine = Engine::new_raw();
    engine.register_global_module(rhai::packages::StandardPackage::new().as_shared_module());
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING)
        .set_max_array_size(MAX_ARRAY)
        .set_max_map_size(MAX_MAP)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(false);
    // Rhai's optimizer folds a `const` map into an assignment to it and then panics (1.27):
    // a person's script must never bring the page down. Measured: no slower without it.
    engine.set_optimization_level(rhai::OptimizationLevel::None);
    // The stack limit: every operation checks how far below its call's mark the stack has gone;
    // and every few, how long the call has run.
    engine.on_progress(|operations| {
        if stack_used() > MAX_STACK_BYTES {
            return Some(Dynamic::from(STACK_TOKEN));
        }
        (operations % TIME_CHECK_EVERY == 0 && call_time() > MAX_CALL_TIME).then(|| Dynamic::from(TIME_TOKEN))
    });
    // print and debug go nowhere: a reducer has no output but its state.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.register_fn("is_number", |value: Dynamic| value.is_int() || value.is_decimal());
    engine.register_fn("json_kind", |value: Dynamic| json_kind(&value).to_string());
    // A number as a person writes it: 0.1 - 0.1 shows as 0, not 0.0.
    engine.register_fn("show", |value: Dynamic| match value.as_decimal() {
        Ok(decimal) => decimal.normalize().to_string(),
        Err(_) => value.to_string(),
    });
    engine
}

thread_local! {
    /// Where on the stack the current call into a script started; 0 outside one.
    static STACK_BASE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// When the current call into a script started.
    static CALL_START: std::cell::Cell<Option<web_time::Instant>> = const { std::cell::Cell::new(None) };
}

/// Marks where and when a call into a script starts, for the stack and time limits; the mark
/// before it comes back when this is dropped. Every entry into the engine (a reducer's call, an
/// expression's evaluation) makes one.
pub(crate) struct StackMark(usize, Option<web_time::Instant>);

impl StackMark {
    #[inline(never)]
    pub(crate) fn here() -> StackMark {
        let base = STACK_BASE.with(|base| base.replace(stack_address()));
        let start = CALL_START.with(|start| start.replace(Some(web_time::Instant::now())));
        StackMark(base, start)
    }
}

impl Drop for StackMark {
    fn drop(&mut self) {
        STACK_BASE.with(|base| base.set(self.0));
        CALL_START.with(|start| start.set(self.1));
    }
}

/// How long the current call into a script has run (zero outside one).
fn call_time() -> std::time::Duration {
    CALL_START.with(std::cell::Cell::get).map_or(std::time::Duration::ZERO, |start| start.elapsed())
}

/// True when `error` is the time limit stopping a script (see `MAX_CALL_TIME`).
pub(crate) fn is_time_limit(error: &EvalAltResult) -> bool {
    matches!(error, EvalAltResult::ErrorTerminated(token, _) if token.clone().into_string().is_ok_and(|t| t == TIME_TOKEN))
}

/// The address of a local in this frame: how deep the stack is now.
#[inline(never)]
fn stack_address() -> usize {
    let local = 0u8;
    std::hint::black_box(std::ptr::addr_of!(local)) as usize
}

/// Bytes of stack used since the current call's mark (0 outside a call). Stacks grow down on
/// every target Rewind runs on, but the distance is taken either way.
fn stack_used() -> usize {
    match STACK_BASE.with(std::cell::Cell::get) {
        0 => 0,
        base => base.abs_diff(stack_address()),
    }
}

/// True when `error` is the stack limit stopping a script (see `MAX_STACK_BYTES`).
pub(crate) fn is_stack_limit(error: &EvalAltResult) -> bool {
    matches!(error, EvalAltResult::ErrorTerminated(token, _) if token.clone().into_string().is_ok_and(|t| t == STACK_TOKEN))
}

/// "a string", "a number", … as Rewind's own messages say it.
fn json_kind(value: &Dynamic) -> &'static str {
    if value.is_unit() {
        "null"
    } else if value.is_bool() {
        "a boolean"
    } else if value.is_int() || value.is_decimal() {
        "a number"
    } else if value.is_string() || value.is_char() {
        "a string"
    } else if value.is_array() {
        "an array"
    } else if value.is_map() {
        "an object"
    } else {
        "a value"
    }
}

/// A runtime error as the person reads it at the event: a thrown string as it is, the rest with
/// where in the script.
fn runtime_message(function: &str, error: &EvalAltResult) -> String {
    let error = error.unwrap_inner();
    let at = |position: Position| match (position.line(), position.position()) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        _ => String::new(),
    };
    match error {
        EvalAltResult::ErrorRuntime(value, _) if value.is_string() => value.to_string(),
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "the reducer's {function} stopped after {MAX_OPERATIONS} operations: an endless loop, or too much work for one event"
        ),
        EvalAltResult::ErrorStackOverflow(_) => {
            format!("the reducer's {function} stopped: calls nested too deep (endless recursion?)")
        }
        error if is_time_limit(error) => format!(
            "the reducer's {function} stopped after {} s: too much work for one event (copying a large list, map \
             or text over and over?)",
            MAX_CALL_TIME.as_secs()
        ),
        error if is_stack_limit(error) => {
            format!("the reducer's {function} stopped: calls nested too deep (endless recursion?)")
        }
        other => {
            let message = other.to_string();
            let message = message.rfind(" (line ").map_or(message.as_str(), |cut| &message[..cut]).to_string();
            format!("the reducer's {function} failed: {message}{}", at(other.position()))
        }
    }
}

/// One stream's state as the script keeps it. `()` until the stream's first event. Shared, so a
/// snapshot that copies a node of the state map copies pointers, not every account's map.
#[derive(Clone, Debug, Default)]
pub struct ScriptState(Arc<Dynamic>);

impl PartialEq for ScriptState {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || to_json(&self.0).ok() == to_json(&other.0).ok()
    }
}

impl Domain for ScriptDomain {
    fn name(&self) -> &str {
        &self.name
    }

    /// A script takes any event type: `apply` decides what each means.
    fn event_types(&self) -> &[&str] {
        &[]
    }

    /// A script's event costs several times a compiled one's (see the README's figures), so its
    /// snapshots are closer: a seek replays as long as it would with a compiled domain.
    fn snapshot_interval(&self, len: usize, streams: usize) -> usize {
        (snapshot_interval_for(len, streams) / SCRIPT_COST).max(32)
    }

    /// Streams only: a projection folds the whole log, which a streamed check does not keep.
    fn fold(&self) -> Box<dyn rewind_engine::fold::Fold> {
        Box::new(rewind_engine::fold::ReducerFold::new(self.clone()))
    }

    fn replay(&self, log: &Log, plan: Plan, interval: usize) -> Box<dyn ReplayBuild> {
        let streams = Box::new(TimelineBuild::new(self.clone(), log, plan.clone(), interval));
        if self.projections.is_empty() {
            return streams;
        }
        // A projection's snapshot holds a few views, not every stream: it keeps the interval a
        // log of one stream would have, however many streams this one has.
        let projection_interval = match interval {
            0 => 0,
            _ => interval.min(self.snapshot_interval(log.len(), 1)),
        };
        let projections =
            projections::Projections::new(self.clone(), self.projections.clone(), plan, projection_interval);
        Box::new(projections::ScriptBuild { streams, projections, state: Vec::new(), next: 0 })
    }
}

impl Reducer for ScriptDomain {
    type Stream = ScriptState;
    type Kind = ();

    fn kind(&self, _type_name: &str) -> Option<()> {
        Some(())
    }

    fn apply(&self, state: &ScriptState, _kind: (), event: &EventRef) -> Result<Step<ScriptState>, DataError> {
        let before = if state.0.is_unit() {
            match self.has_init {
                true => self.call("init", None, vec![Dynamic::from(event.stream.to_string())])?,
                false => Dynamic::from_map(Map::new()),
            }
        } else {
            (*state.0).clone()
        };
        let event = event_map(event)?;
        // Arguments are moved into the script: `check` needs its own copies of the state before and
        // the event, so only a script with a check pays for them.
        let (after, kept) = match self.has_check {
            true => (self.call("apply", None, vec![before.clone(), event.clone()])?, Some((before, event))),
            false => (self.call("apply", None, vec![before, event])?, None),
        };
        if !after.is_map() {
            let found = json_kind(&after);
            return Err(DataError::said(format!(
                "the reducer's apply returned {found}, not a state: end it with the state (`state`)"
            )));
        }
        let mut violations = Vec::new();
        if let Some((mut this, event)) = kept {
            let found = self.call("check", Some(&mut this), vec![after.clone(), event])?;
            if found.is_string() {
                violations.push(found.to_string());
            } else if found.is_array() {
                violations.extend(found.into_array().unwrap_or_default().into_iter().map(|v| v.to_string()));
            } else if !found.is_unit() {
                let kind = json_kind(&found);
                return Err(DataError::said(format!(
                    "the reducer's check returned {kind}: return (), a string, or an array of strings"
                )));
            }
        }
        Ok(Step::violated(ScriptState(Arc::new(after)), violations))
    }

    fn to_json(&self, state: &ScriptState) -> Value {
        to_json(&state.0).unwrap_or_else(Value::String)
    }
}

/// What a script sees of one event.
fn event_map(event: &EventRef) -> Result<Dynamic, DataError> {
    let json = |text: &str| json_to_dynamic(text).map_err(DataError::said);
    let text = |value: Option<&str>| value.map_or(Dynamic::UNIT, |v| Dynamic::from(v.to_string()));
    let e = event.event;
    let mut map = Map::new();
    map.insert("type".into(), Dynamic::from(event.type_name.to_string()));
    map.insert("stream".into(), Dynamic::from(event.stream.to_string()));
    map.insert("stream_is_default".into(), Dynamic::from_bool(event.stream_is_default));
    map.insert("data".into(), json(e.data())?);
    map.insert("meta".into(), e.meta().map_or(Ok(Dynamic::UNIT), json)?);
    map.insert("id".into(), text(e.id()));
    map.insert("seq".into(), e.seq().map_or(Dynamic::UNIT, |seq| Dynamic::from_int(seq as i64)));
    map.insert("recorded_at".into(), text(e.recorded_at()));
    map.insert("effective_at".into(), text(e.effective_at()));
    map.insert("position".into(), Dynamic::from_int(event.position as i64));
    Ok(Dynamic::from_map(map))
}

/// JSON text as a script sees it (see `to_dynamic`), read straight into script values: every
/// event is read once per replay, and the `Value` in between cost a sixth of a script's replay.
fn json_to_dynamic(text: &str) -> Result<Dynamic, String> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = serde::de::DeserializeSeed::deserialize(ToDynamic, &mut reader)
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|e| format!("data cannot be read: {e}"))?;
    Ok(value)
}

/// With serde_json's `arbitrary_precision`, a number arrives as a one-entry map under this key,
/// its exact text as the value.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct ToDynamic;

impl<'de> serde::de::DeserializeSeed<'de> for ToDynamic {
    type Value = Dynamic;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Dynamic, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ToDynamic {
    type Value = Dynamic;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E>(self) -> Result<Dynamic, E> {
        Ok(Dynamic::UNIT)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Dynamic, E> {
        Ok(Dynamic::from_bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Dynamic, E> {
        Ok(Dynamic::from_int(i))
    }
    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Dynamic, E> {
        number(&u.to_string()).map_err(E::custom)
    }
    fn visit_str<E>(self, s: &str) -> Result<Dynamic, E> {
        Ok(Dynamic::from(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Dynamic, E> {
        Ok(Dynamic::from(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Dynamic, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ToDynamic)? {
            items.push(item);
        }
        Ok(Dynamic::from_array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut fields: A) -> Result<Dynamic, A::Error> {
        let mut map = Map::new();
        while let Some(key) = fields.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == NUMBER_TOKEN {
                let text: String = fields.next_value()?;
                return number(&text).map_err(serde::de::Error::custom);
            }
            // Duplicate keys: the last one holds, as in `serde_json::Value`.
            map.insert(key.as_ref().into(), fields.next_value_seed(ToDynamic)?);
        }
        Ok(Dynamic::from_map(map))
    }
}

/// A JSON number's text as a script value: an integer when it is one that fits, else an exact
/// decimal.
fn number(text: &str) -> Result<Dynamic, String> {
    if let Ok(i) = text.parse::<i64>() {
        return Ok(Dynamic::from_int(i));
    }
    let exact = Decimal::from_str_exact(text).or_else(|_| Decimal::from_scientific(text));
    Ok(Dynamic::from_decimal(
        exact.map_err(|_| format!("the number {text} does not fit an exact decimal"))?.normalize(),
    ))
}

/// JSON as a script sees it: integers as integers, every other number an exact decimal, null as
/// `()`.
pub fn to_dynamic(value: &Value) -> Result<Dynamic, String> {
    Ok(match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => number(n.as_str())?,
        },
        Value::String(s) => Dynamic::from(s.clone()),
        Value::Array(items) => Dynamic::from_array(items.iter().map(to_dynamic).collect::<Result<_, _>>()?),
        Value::Object(fields) => {
            let mut map = Map::new();
            for (key, value) in fields {
                map.insert(key.as_str().into(), to_dynamic(value)?);
            }
            Dynamic::from_map(map)
        }
    })
}

/// A script's value as JSON, decimals exactly (`0.3`, not `0.30000000000000004`).
pub fn to_json(value: &Dynamic) -> Result<Value, String> {
    let value = value.flatten_clone();
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::from(i));
    }
    if let Ok(d) = value.as_decimal() {
        return serde_json::Number::from_str(&d.normalize().to_string()).map(Value::Number).map_err(|e| e.to_string());
    }
    if value.is_string() || value.is_char() {
        return Ok(Value::String(value.to_string()));
    }
    if value.is_array() {
        let items = value.into_array().unwrap_or_default();
        return items.iter().map(to_json).collect::<Result<Vec<_>, _>>().map(Value::Array);
    }
    if value.is_map() {
        let mut object = serde_json::Map::new();
        for (key, item) in value.cast::<Map>() {
            object.insert(key.to_string(), to_json(&item)?);
        }
        return Ok(Value::Object(object));
    }
    Err(format!("a {} cannot be shown as JSON", value.type_name()))
}

/// A skeleton reducer for `log`: one `switch` arm per event type, listing the data fields each
/// type carries, for the person to fill in.
pub fn skeleton(log: &Log) -> String {
    let mut arms: Vec<(String, Vec<String>)> = Vec::new();
    for (position, event) in log.events().iter().enumerate().take(10_000) {
        if log.unreadable_at(position).is_some() {
            continue;
        }
        let type_name = log.type_name(event);
        let fields: Vec<String> = match serde_json::from_str::<Value>(event.data()) {
            Ok(Value::Object(fields)) => fields.keys().cloned().collect(),
            _ => Vec::new(),
        };
        match arms.iter_mut().find(|(t, _)| t == type_name) {
            Some((_, known)) => {
                for field in fields {
                    if !known.contains(&field) {
                        known.push(field);
                    }
                }
            }
            None => arms.push((type_name.to_string(), fields)),
        }
    }
    let mut text = String::from(
        "// A reducer for this log: apply(state, event) returns a stream's state after one more event.\n\
         // event.type, event.stream, event.data.<field>, event.recorded_at … ; an absent value is ().\n\n\
         fn init(stream) { #{} }\n\nfn apply(state, event) {\n    switch event.type {\n",
    );
    for (type_name, fields) in &arms {
        let listed = if fields.is_empty() { "no data fields".to_string() } else { fields.join(", ") };
        text.push_str(&format!("        {:?} => {{\n            // data: {listed}\n        }}\n", type_name));
    }
    text.push_str("    }\n    state\n}\n\n// Optional: rules broken at an event (the event still applies).\n// fn check(state, event) { }\n");
    text
}

#[cfg(test)]
mod tests;
