//! Expressions: one line of the script language asked at a position of the timeline — a watch's
//! value, a conditional breakpoint's condition. Run in the reducers' sandbox (same limits, no
//! clock, no I/O), with three variables:
//!
//! - `event`: the last event applied, as a reducer sees it (`()` at position 0);
//! - `stream`: that event's stream's state right after it (`()` before the stream's first event);
//! - `state`: every stream's state there, by stream name (read-only: `state["acc-1"]`, `state.orders`
//!   for a name that is an identifier, `len(state)`, `keys(state)`, `"acc-1" in state`).
//!
//! Positions are the cursor's: position `p` is "after `p` events", so the event there is the one
//! at 0-based timeline position `p - 1`. A missing stream or field reads as `()` (so does a field
//! of `()`); an expression that fails at a position counts as false there. The value depends on
//! the position alone: nothing an evaluation does is seen by the next.
//!
//! Asked at every position (`Scan`), the timeline is walked forward once and `state` kept up to
//! date one stream per event, and only when the expression names it; `Expression::value_at` is
//! the same question asked from scratch at one position, for the cursor (and as the reference the
//! scan is tested against).
use super::{event_map, json_kind, sandbox, to_dynamic, to_json, CompileError, PROJECTION_PREFIX};
use rewind_engine::domain::EventRef;
use rewind_engine::session::Session;
use rewind_engine::timeline::{Walk, Walked};
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Map, Scope, AST};
use serde_json::Value;
use std::sync::Arc;

/// The variables an expression may use, in the order they are pushed.
const VARIABLES: [&str; 3] = ["event", "stream", "state"];

/// A compiled expression.
#[derive(Clone)]
pub struct Expression {
    source: Arc<str>,
    engine: Arc<Engine>,
    ast: Arc<AST>,
    /// Which of `VARIABLES` it names: a scan builds only those.
    uses: [bool; 3],
}

/// Every stream's state at a position, by name: shared, so handing it to an evaluation copies a
/// pointer, and read-only to the script (no setter is registered), so no evaluation can change
/// what the next one sees.
#[derive(Clone, Default)]
struct StateView(Arc<Map>);

/// A value as a sparkline's number: an integer or a decimal; `None` for anything else.
pub fn as_number(value: &Dynamic) -> Option<f64> {
    if let Ok(i) = value.as_int() {
        return Some(i as f64);
    }
    let decimal = value.as_decimal().ok()?;
    decimal.to_string().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A value as a watch shows it: `()`, `true`, `70`, `"open"`, `{"balance":70}`.
pub fn display(value: &Dynamic) -> String {
    if value.is_unit() {
        return "()".into();
    }
    if let Some(view) = value.read_lock::<StateView>() {
        return to_json(&Dynamic::from_map((*view.0).clone())).map_or_else(|e| e, |json| json.to_string());
    }
    to_json(value).map_or_else(|_| format!("({})", value.type_name()), |json| json.to_string())
}

/// The sandbox, plus what expressions need: `()` answers any field with `()`, and the read-only
/// `state`.
fn expression_engine() -> Engine {
    // The sandbox runs without Rhai's optimizer (see `sandbox`).
    let mut engine = sandbox();
    // A field of a missing stream or field is missing too: `state["nobody"].balance` is `()`.
    // (Rhai falls back to the indexer for a property that has no getter.)
    engine.register_indexer_get(|_: &mut (), _: ImmutableString| ());
    engine.register_type_with_name::<StateView>("state");
    engine.register_indexer_get(|state: &mut StateView, name: ImmutableString| {
        state.0.get(name.as_str()).cloned().unwrap_or(Dynamic::UNIT)
    });
    engine.register_fn("len", |state: &mut StateView| state.0.len() as i64);
    engine.register_fn("keys", |state: &mut StateView| {
        state.0.keys().map(|k| Dynamic::from(k.to_string())).collect::<rhai::Array>()
    });
    engine.register_fn("contains", |state: &mut StateView, name: ImmutableString| state.0.contains_key(name.as_str()));
    engine
}

impl Expression {
    /// Compiles `source`; a syntax error, or a variable other than the three, is reported with
    /// its column.
    pub fn compile(source: &str) -> Result<Expression, CompileError> {
        let engine = expression_engine();
        // Declared, not constant: the optimizer would otherwise fold their compile-time values in.
        let declared = |left_out: Option<&str>| {
            let mut scope = Scope::new();
            for name in VARIABLES.into_iter().filter(|&name| Some(name) != left_out) {
                scope.push_dynamic(name, Dynamic::UNIT);
            }
            scope
        };
        let ast = engine.compile_with_scope(&declared(None), source).map_err(|error| CompileError {
            line: error.position().line(),
            column: error.position().position(),
            message: error.err_type().to_string(),
        })?;
        // Variables are strict: the expression names a variable exactly when it does not compile
        // without it.
        let uses = VARIABLES.map(|name| engine.compile_with_scope(&declared(Some(name)), source).is_err());
        Ok(Expression { source: source.into(), engine: Arc::new(engine), ast: Arc::new(ast), uses })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the expression names `state` (a scan then keeps every stream's state).
    pub fn uses_state(&self) -> bool {
        self.uses[2]
    }

    /// The value after `position` events of `session`, asked from scratch: a seek for the event's
    /// stream, and when the expression names `state`, every stream's state (`state`, as
    /// `Session::state_at` gives it, when the caller has it already; else it is sought).
    pub fn value_at(&self, session: &Session, position: usize, state: Option<&Value>) -> Result<Dynamic, String> {
        let position = position.min(session.len());
        let view = match self.uses_state() {
            true => match state {
                Some(state) => state_view(state)?,
                None => state_view(&session.state_at(position).0)?,
            },
            false => StateView::default(),
        };
        if position == 0 {
            return self.eval(Dynamic::UNIT, Dynamic::UNIT, view);
        }
        let reference = event_ref(session, position - 1);
        let event_value = match self.uses[0] {
            true => event_map(&reference).map_err(|e| e.to_string())?,
            false => Dynamic::UNIT,
        };
        let stream = match self.uses[1] {
            true => to_dynamic(&session.stream_state_at(reference.event.stream(), position))?,
            false => Dynamic::UNIT,
        };
        self.eval(event_value, stream, view)
    }

    /// True when the expression is `true` after `position` events; an error or any other value
    /// counts as false.
    pub fn holds_at(&self, session: &Session, position: usize) -> bool {
        holds(&self.value_at(session, position, None)).is_ok_and(|held| held)
    }

    fn eval(&self, event: Dynamic, stream: Dynamic, state: StateView) -> Result<Dynamic, String> {
        self.eval_in(&mut Scope::with_capacity(VARIABLES.len()), event, stream, state)
    }

    /// Evaluates in `scope` (left empty): a scan reuses one scope (its allocations) for every
    /// position, and nothing an evaluation leaves in it (a `let`) reaches the next.
    fn eval_in(
        &self,
        scope: &mut Scope<'static>,
        event: Dynamic,
        stream: Dynamic,
        state: StateView,
    ) -> Result<Dynamic, String> {
        scope.clear();
        // Not constants: marking a map constant walks all of it, and nothing is gained — `event`
        // and `stream` are made afresh for each evaluation, and `state` has no setter.
        scope.push_dynamic("event", event);
        scope.push_dynamic("stream", stream);
        scope.push("state", state);
        let value = {
            let _mark = super::StackMark::here();
            self.engine.eval_ast_with_scope::<Dynamic>(scope, &self.ast).map_err(|error| message(&error))
        };
        // Emptied again: a scan's `state` is updated in place only while nothing else holds it.
        scope.clear();
        value
    }
}

/// Whether a value holds: `true` does, `false` does not, anything else is an error that says what
/// was found (and so counts as false).
pub fn holds(value: &Result<Dynamic, String>) -> Result<bool, String> {
    match value {
        Ok(value) => value
            .as_bool()
            .map_err(|_| format!("the expression gave {}, not true or false", json_kind(value).replace("null", "()"))),
        Err(error) => Err(error.clone()),
    }
}

/// Every stream's state in a `Session::state_at` JSON object, as `state` reads it: streams only
/// (a script's projections are left out, as a walk over the streams does not fold them).
fn state_view(state: &Value) -> Result<StateView, String> {
    let Value::Object(streams) = state else { return Ok(StateView::default()) };
    let mut map = Map::new();
    for (name, value) in streams.iter().filter(|(name, _)| !name.starts_with(PROJECTION_PREFIX)) {
        map.insert(name.as_str().into(), to_dynamic(value)?);
    }
    Ok(StateView(Arc::new(map)))
}

/// A runtime error in one line, with its column.
fn message(error: &EvalAltResult) -> String {
    let error = error.unwrap_inner();
    match error {
        EvalAltResult::ErrorRuntime(value, _) if value.is_string() => value.to_string(),
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("stopped after {} operations: too much work for one position", super::MAX_OPERATIONS)
        }
        EvalAltResult::ErrorStackOverflow(_) => "stopped: calls nested too deep (endless recursion?)".into(),
        error if super::is_stack_limit(error) => "stopped: calls nested too deep (endless recursion?)".into(),
        error if super::is_time_limit(error) => {
            format!("stopped after {} s: too much work for one position", super::MAX_CALL_TIME.as_secs())
        }
        other => {
            let text = other.to_string();
            let text = text.rfind(" (line ").map_or(text.as_str(), |cut| &text[..cut]).to_string();
            match other.position().position() {
                Some(column) => format!("{text} (column {column})"),
                None => text,
            }
        }
    }
}

/// An expression asked at every position of a session in order, from 0 (no event applied) to the
/// end, a slice of events at a time: one walk forward, one evaluation per position.
pub struct Scan<'s> {
    expression: &'s Expression,
    positions: Positions<'s>,
    /// Every stream's state at the walk's position; kept only when the expression names `state`.
    state: StateView,
    /// False until position 0 (before any event) has been evaluated.
    started: bool,
    total: usize,
    scope: Scope<'static>,
}

/// How a scan reaches each position.
enum Positions<'s> {
    /// Replaying, one event per position: the expression names `stream` or `state`.
    Walk(Box<dyn Walk + 's>),
    /// Reading the events in timeline order without replaying them: an expression about `event`
    /// alone needs no state.
    Events { session: &'s Session, next: usize },
}

impl<'s> Scan<'s> {
    pub fn new(expression: &'s Expression, session: &'s Session) -> Scan<'s> {
        let [_, uses_stream, uses_state] = expression.uses;
        let positions = match uses_stream || uses_state {
            true => Positions::Walk(session.walk(0)),
            false => Positions::Events { session, next: 0 },
        };
        Scan {
            expression,
            positions,
            state: StateView::default(),
            started: false,
            total: session.len() + 1,
            scope: Scope::with_capacity(VARIABLES.len()),
        }
    }

    /// Positions evaluated so far.
    pub fn done(&self) -> usize {
        match (&self.positions, self.started) {
            (_, false) => 0,
            (Positions::Walk(walk), true) => walk.next() + 1,
            (Positions::Events { next, .. }, true) => next + 1,
        }
    }

    /// Positions in all: the log's events and one.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Evaluates about `events` more positions, handing each (position, value) to `visit` in
    /// order; true once every position has been.
    pub fn step(&mut self, events: usize, visit: &mut dyn FnMut(usize, Result<Dynamic, String>)) -> bool {
        let expression = self.expression;
        if !self.started {
            self.started = true;
            visit(0, expression.eval(Dynamic::UNIT, Dynamic::UNIT, StateView::default()));
        }
        let [uses_event, uses_stream, uses_state] = expression.uses;
        let (state, scope) = (&mut self.state, &mut self.scope);
        let event_value = |event: &EventRef| match uses_event {
            true => event_map(event).map_err(|e| e.to_string()),
            false => Ok(Dynamic::UNIT),
        };
        match &mut self.positions {
            Positions::Events { session, next } => {
                let end = next.saturating_add(events).min(session.len());
                for position in *next..end {
                    let value = event_value(&event_ref(session, position))
                        .and_then(|event| expression.eval_in(scope, event, Dynamic::UNIT, StateView::default()));
                    visit(position + 1, value);
                }
                *next = end;
                end == session.len()
            }
            Positions::Walk(walk) => walk.step(events, &mut |walked: &Walked| {
                let json = walked.stream_json();
                let mut stream = to_dynamic(&json);
                if uses_state && !json.is_null() {
                    if let Ok(value) = &mut stream {
                        let value = match uses_stream {
                            true => value.clone(),
                            false => std::mem::take(value),
                        };
                        // The only reference left after an evaluation is this one: no copy.
                        Arc::make_mut(&mut state.0).insert(walked.event.stream.into(), value);
                    }
                }
                let value = match (event_value(&walked.event), stream) {
                    (Ok(event), Ok(stream)) => {
                        let stream = if uses_stream { stream } else { Dynamic::UNIT };
                        expression.eval_in(scope, event, stream, state.clone())
                    }
                    (Err(error), _) | (_, Err(error)) => Err(error),
                };
                visit(walked.position + 1, value);
            }),
        }
    }
}

/// The event at 0-based timeline `position`, as reducers see it.
fn event_ref(session: &Session, position: usize) -> EventRef<'_> {
    let (log_position, event) = session.event(position);
    EventRef {
        type_name: session.type_name(event),
        stream: session.stream_of(event),
        stream_is_default: session.log().is_default_stream(event.stream()),
        position: log_position,
        event,
    }
}

/// Matches of a condition: positions where it holds and did not hold one position before
/// (position 0 when it holds there), found a slice at a time.
pub struct MatchSearch<'s> {
    scan: Scan<'s>,
    held: bool,
    matches: Vec<usize>,
    /// The first position where the expression failed or gave something else than true or
    /// false, and why: shown so a mistyped condition is not silently "no matches".
    first_problem: Option<(usize, String)>,
}

impl<'s> MatchSearch<'s> {
    pub fn new(expression: &'s Expression, session: &'s Session) -> MatchSearch<'s> {
        MatchSearch { scan: Scan::new(expression, session), held: false, matches: Vec::new(), first_problem: None }
    }

    /// Searches about `events` more positions; true once the whole log has been.
    pub fn step(&mut self, events: usize) -> bool {
        let (held, matches, problem) = (&mut self.held, &mut self.matches, &mut self.first_problem);
        self.scan.step(events, &mut |position, value| {
            let holds = match holds(&value) {
                Ok(holds) => holds,
                Err(why) => {
                    problem.get_or_insert((position, why));
                    false
                }
            };
            if holds && !*held {
                matches.push(position);
            }
            *held = holds;
        })
    }

    /// Positions searched so far, of `total`.
    pub fn done(&self) -> usize {
        self.scan.done()
    }

    pub fn total(&self) -> usize {
        self.scan.total()
    }

    /// The matches found so far, in order.
    pub fn matches(&self) -> &[usize] {
        &self.matches
    }

    pub fn first_problem(&self) -> Option<&(usize, String)> {
        self.first_problem.as_ref()
    }

    /// The matches, and the first problem met.
    pub fn finish(self) -> (Vec<usize>, Option<(usize, String)>) {
        (self.matches, self.first_problem)
    }
}

/// A watch's numbers over the whole log, for a sparkline `columns` wide: positions split into
/// `columns` runs as evenly as possible, each kept as its lowest and highest number (so a
/// one-event spike still shows), found a slice at a time without keeping a value per position.
pub struct SeriesScan<'s> {
    scan: Scan<'s>,
    columns: Vec<Option<(f64, f64)>>,
}

impl<'s> SeriesScan<'s> {
    pub fn new(expression: &'s Expression, session: &'s Session, columns: usize) -> SeriesScan<'s> {
        let columns = columns.clamp(1, session.len() + 1);
        SeriesScan { scan: Scan::new(expression, session), columns: vec![None; columns] }
    }

    /// Evaluates about `events` more positions; true once the whole log has been.
    pub fn step(&mut self, events: usize) -> bool {
        let (columns, total) = (&mut self.columns, self.scan.total());
        let width = columns.len();
        self.scan.step(events, &mut |position, value| {
            let Some(number) = value.ok().as_ref().and_then(as_number) else { return };
            let column = &mut columns[position * width / total];
            *column = Some(column.map_or((number, number), |(low, high)| (low.min(number), high.max(number))));
        })
    }

    pub fn done(&self) -> usize {
        self.scan.done()
    }

    pub fn total(&self) -> usize {
        self.scan.total()
    }

    /// Each column's (lowest, highest) number, `None` where no position in it gave one; empty
    /// when no position did (the watch is not a number: no sparkline).
    pub fn finish(self) -> Vec<Option<(f64, f64)>> {
        match self.columns.iter().any(Option::is_some) {
            true => self.columns,
            false => Vec::new(),
        }
    }
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
