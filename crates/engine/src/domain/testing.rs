//! One given/when/then harness for every domain's unit tests: the events are built the way a log
//! builds them, so a test exercises exactly what replay does.
use super::{DataError, EventRef, Reducer, Step};
use crate::event::{Event, EventText, Interner, DEFAULT_STREAM};

/// When: one event of `type_name` with `data` on `stream`, applied to `state`.
pub fn apply<R: Reducer>(
    reducer: &R,
    state: &R::Stream,
    type_name: &str,
    stream: &str,
    data: &str,
) -> Result<Step<R::Stream>, DataError> {
    let kind = reducer.kind(type_name).unwrap_or_else(|| panic!("{} knows {type_name}", reducer.name()));
    let mut names = Interner::default();
    let event = Event::new(
        names.intern(type_name),
        names.intern(stream),
        None,
        EventText { data: Some(data), ..EventText::default() },
    );
    let view = EventRef { type_name, stream, stream_is_default: stream == DEFAULT_STREAM, position: 0, event: &event };
    reducer.apply(state, kind, &view)
}

/// Given: events that must all apply cleanly, folded onto `state`.
pub fn given_from<R: Reducer>(reducer: &R, state: R::Stream, stream: &str, events: &[(&str, &str)]) -> R::Stream {
    events.iter().fold(state, |state, (type_name, data)| {
        let step = apply(reducer, &state, type_name, stream, data).expect("readable data");
        assert_eq!(step.violations, Vec::<String>::new(), "given {type_name} {data}");
        step.state
    })
}

/// Given: events that must all apply cleanly, from a stream with no events.
pub fn given<R: Reducer>(reducer: &R, stream: &str, events: &[(&str, &str)]) -> R::Stream {
    given_from(reducer, R::Stream::default(), stream, events)
}
