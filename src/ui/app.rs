//! The page: the contexts made once, start-up, and every pane laid out.
use super::break_when::BreakWhen;
use super::causation_panel::CausationPanel;
use super::chart_panel::ChartPanel;
use super::compare_panel::ComparePanel;
use super::correction_form::CorrectionForm;
use super::diff_panel::DiffPanel;
use super::domain_select::DomainSelect;
use super::drop_zone::DropZone;
use super::event_list::EventList;
use super::export_buttons::ExportButtons;
use super::field_mapping::FieldMapping;
use super::generate_test::GenerateTest;
use super::keyboard_help::KeyboardHelp;
use super::learn_panel::LearnPanel;
use super::lesson_builder::FieldPick;
use super::load_error_alert::LoadErrorAlert;
use super::log_input::LogInput;
use super::log_summary::LogSummary;
use super::new_session_button::NewSessionButton;
use super::open_log_file::OpenLogFile;
use super::original_vs_corrected::OriginalVsCorrected;
use super::pane_splitter::{EventsWidth, PaneSplitter};
use super::reducer_editor::ReducerEditor;
use super::sample_picker::SamplePicker;
use super::share_link::ShareLink;
use super::skip_summary::SkipSummary;
use super::snapshot_controls::SnapshotControls;
use super::start_up::start_up;
use super::state::{Breakpoints, CausationLinks, Contexts, Watches};

use super::state_panel::StatePanel;
use super::step_controls::StepControls;
use super::stream_focus::StreamFocus;
use super::strict_loading::StrictLoading;
use super::timeline_order_switch::TimelineOrderSwitch;
use super::timeline_slider::TimelineSlider;
use super::transport_controls::TransportControls;
use super::watches::WatchesPanel;
use crate::pane_layout::panes_style;
use leptos::prelude::*;
use rewind_engine::samples::SAMPLES;

#[component]
pub fn App() -> impl IntoView {
    let contexts = Contexts::new(&SAMPLES[0]);
    contexts.provide();
    provide_context(CausationLinks::new(contexts.loaded, contexts.cursor));
    // Before start-up: the saved session brings its watches back.
    provide_context(Watches::new());
    provide_context(Breakpoints::new());
    // The lesson builder picks a field by a click in the State panel.
    provide_context(FieldPick::new());
    start_up(contexts);
    let learning = move || contexts.route.lesson.get().is_some();
    let events_width = EventsWidth::remembered(Signal::derive(learning));
    // One screen for the core loop: what is done once (load, export) in a compact bar, the
    // timeline pinned, the events beside the state and the diff (the splitter between them shares
    // the width as the person left it); everything else below.
    view! {
        <DropZone/>
        <header class="app-header">
            <h1>"Rewind"</h1>
            <p class="tagline">"A time machine for event logs: state is a fold of the events."</p>
            <KeyboardHelp/>
        </header>
        <main class="layout" class:learning=learning>
            <LearnPanel/>
            <section class="load" aria-label="Load a log">
                <div class="load-sources">
                    <SamplePicker/>
                    <OpenLogFile/>
                    <StrictLoading/>
                </div>
                <LogInput/>
                <div class="load-actions">
                    <ExportButtons/>
                    <ShareLink/>
                    <NewSessionButton/>
                </div>
                <LoadErrorAlert/>
                <FieldMapping/>
            </section>
            <section class="travel" aria-label="Travel">
                <TimelineSlider/>
                <div class="controls-row">
                    <StepControls/>
                    <TransportControls/>
                    <StreamFocus/>
                </div>
            </section>
            <div class="panes" style=move || panes_style(events_width.get())>
                <EventList/>
                <PaneSplitter width=events_width/>
                <div class="inspect">
                    <StatePanel/>
                    <DiffPanel/>
                </div>
            </div>
            <section class="details" aria-label="Log details">
                <LogSummary/>
                <div class="controls-row">
                    <DomainSelect/>
                    <TimelineOrderSwitch/>
                    <SnapshotControls/>
                </div>
                <SkipSummary/>
                <div class="expressions">
                    <WatchesPanel/>
                    <BreakWhen/>
                </div>
                <CausationPanel/>
                <ChartPanel/>
                <OriginalVsCorrected/>
                <ComparePanel/>
                <GenerateTest/>
            </section>
            <CorrectionForm/>
            <ReducerEditor/>
        </main>
    }
}
