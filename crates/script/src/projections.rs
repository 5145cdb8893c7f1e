//! Projections: folds over the whole log (not per stream), `project_NAME(view, event) -> view`
//! starting from `init_NAME()` (or `#{}`). Shown beside the streams as `projection:NAME`, at any
//! position, with snapshots like the streams' so a seek replays only the events since the last.
use super::{event_map, ScriptDomain};
use rewind_engine::domain::EventRef;
use rewind_engine::event::Sym;
use rewind_engine::log::Log;
use rewind_engine::plan::Plan;
use rewind_engine::timeline::{Problem, Replay, ReplayBuild, Severity, StreamWalk, Walk};
use rhai::{Dynamic, Map};
use serde_json::Value;

/// The key a projection's view has in the state shown: `projection:total`.
pub const PREFIX: &str = "projection:";

/// The streams' timeline being built, and the projections beside it.
pub(super) struct ScriptBuild {
    pub streams: Box<dyn ReplayBuild>,
    pub projections: Projections,
    pub state: Vec<Dynamic>,
    pub next: usize,
}

pub(super) struct Projections {
    domain: ScriptDomain,
    names: Vec<String>,
    plan: Plan,
    interval: usize,
    /// `snapshots[j]`: every view after `j * interval` events.
    snapshots: Vec<Vec<Dynamic>>,
    problems: Vec<Problem>,
}

impl Projections {
    pub fn new(domain: ScriptDomain, names: Vec<String>, plan: Plan, interval: usize) -> Projections {
        Projections { domain, names, plan, interval, snapshots: Vec::new(), problems: Vec::new() }
    }

    /// Every view before the first event.
    pub fn initial(&self) -> Vec<Dynamic> {
        self.names
            .iter()
            .map(|name| {
                let init = format!("init_{name}");
                match self.domain.defines(&init, 0) {
                    true => self.domain.call(&init, None, Vec::new()).unwrap_or_else(|_| Dynamic::from_map(Map::new())),
                    false => Dynamic::from_map(Map::new()),
                }
            })
            .collect()
    }

    /// Applies the event at timeline `position` to every view; problems go to `problems`.
    fn apply(&self, log: &Log, views: &mut [Dynamic], position: usize, problems: Option<&mut Vec<Problem>>) {
        let log_position = self.plan.log_position(position);
        if self.plan.is_skipped(log_position) || log.unreadable_at(log_position).is_some() {
            return;
        }
        let event = &log.events()[log_position];
        let view = EventRef::in_log(log, event, log_position);
        let Ok(event) = event_map(&view) else { return };
        let mut found = Vec::new();
        for (name, current) in self.names.iter().zip(views.iter_mut()) {
            match self.domain.call(&format!("project_{name}"), None, vec![current.clone(), event.clone()]) {
                Ok(next) => *current = next,
                Err(error) => found.push(Problem {
                    position,
                    severity: Severity::Error,
                    message: format!("projection {name}: {error}"),
                }),
            }
        }
        if let Some(problems) = problems {
            problems.extend(found);
        }
    }
}

impl ReplayBuild for ScriptBuild {
    fn step(&mut self, log: &Log, events: usize) -> bool {
        let done = self.streams.step(log, events);
        let end = self.streams.replayed();
        let projections = &mut self.projections;
        if projections.snapshots.is_empty() {
            self.state = projections.initial();
            projections.snapshots.push(self.state.clone());
        }
        let mut problems = std::mem::take(&mut projections.problems);
        for position in self.next..end {
            projections.apply(log, &mut self.state, position, Some(&mut problems));
            if projections.interval > 0 && (position + 1) % projections.interval == 0 {
                projections.snapshots.push(self.state.clone());
            }
        }
        projections.problems = problems;
        self.next = end;
        done
    }

    fn replayed(&self) -> usize {
        self.streams.replayed()
    }

    fn finish(self: Box<Self>) -> Box<dyn Replay> {
        let ScriptBuild { streams, projections, .. } = *self;
        let streams = streams.finish();
        // One list, in position order, as the timeline keeps its own.
        let mut problems: Vec<Problem> = streams.problems().to_vec();
        problems.extend(projections.problems.iter().cloned());
        problems.sort_by_key(|p| p.position);
        Box::new(ScriptReplay { streams, projections, problems })
    }
}

/// A script's timeline: the streams, and the projections beside them.
struct ScriptReplay {
    streams: Box<dyn Replay>,
    projections: Projections,
    problems: Vec<Problem>,
}

impl ScriptReplay {
    fn views_at(&self, log: &Log, position: usize) -> Vec<Dynamic> {
        let projections = &self.projections;
        let position = position.min(log.len());
        let snapshot = position.checked_div(projections.interval).unwrap_or(0).min(projections.snapshots.len() - 1);
        let mut views = projections.snapshots[snapshot].clone();
        for p in snapshot * projections.interval..position {
            projections.apply(log, &mut views, p, None);
        }
        views
    }
}

/// Up to this many events, a projection's chart has a point after every event; beyond, one per
/// snapshot (at most a few thousand), so charting never replays a long log.
const EVERY_EVENT_UP_TO: usize = 5_000;

impl Replay for ScriptReplay {
    fn projection_names(&self) -> &[String] {
        &self.projections.names
    }

    fn projection_history(&self, log: &Log, name: &str) -> Vec<(usize, Value)> {
        let projections = &self.projections;
        let Some(index) = projections.names.iter().position(|n| n == name) else { return Vec::new() };
        let json = |views: &[Dynamic]| super::to_json(&views[index]).unwrap_or_else(Value::String);
        let len = log.len();
        if len <= EVERY_EVENT_UP_TO || projections.interval == 0 {
            let mut views = projections.initial();
            return (0..len)
                .map(|position| {
                    projections.apply(log, &mut views, position, None);
                    (position, json(&views))
                })
                .collect();
        }
        // Snapshot j holds the views after j × interval events: after the event at j × interval − 1.
        projections
            .snapshots
            .iter()
            .enumerate()
            .skip(1)
            .map(|(j, views)| (j * projections.interval - 1, json(views)))
            .collect()
    }

    fn interval(&self) -> usize {
        self.streams.interval()
    }

    fn plan(&self) -> &Plan {
        self.streams.plan()
    }

    fn snapshot_count(&self) -> usize {
        self.streams.snapshot_count()
    }

    fn problems(&self) -> &[Problem] {
        &self.problems
    }

    fn seek_json(&self, log: &Log, position: usize) -> (Value, usize) {
        let (mut state, replayed) = self.streams.seek_json(log, position);
        if let Value::Object(streams) = &mut state {
            streams.extend(self.beside_at(log, position));
        }
        (state, replayed)
    }

    fn streams_at(&self, position: usize) -> usize {
        self.streams.streams_at(position)
    }

    fn streams_from(&self, position: usize, skip: usize, take: usize) -> Vec<Sym> {
        self.streams.streams_from(position, skip, take)
    }

    fn beside_at(&self, log: &Log, position: usize) -> Vec<(String, Value)> {
        let views = self.projections.names.iter().zip(self.views_at(log, position));
        views
            .map(|(name, view)| (format!("{PREFIX}{name}"), super::to_json(&view).unwrap_or_else(Value::String)))
            .collect()
    }

    fn seek_only(&self, log: &Log, position: usize) -> usize {
        self.streams.seek_only(log, position)
    }

    fn stream_json_at(&self, log: &Log, stream: Sym, position: usize) -> Value {
        self.streams.stream_json_at(log, stream, position)
    }

    fn stream_history(&self, log: &Log, stream: Sym, position: usize) -> Vec<(usize, Value)> {
        self.streams.stream_history(log, stream, position)
    }

    fn walk<'a>(&'a self, log: &'a Log, start: usize) -> Box<dyn Walk + 'a> {
        self.streams.walk(log, start)
    }

    fn stream_walk<'a>(&'a self, log: &'a Log, stream: Sym) -> Box<dyn StreamWalk + 'a> {
        self.streams.stream_walk(log, stream)
    }
}
