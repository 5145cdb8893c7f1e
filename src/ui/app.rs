use super::event_list::EventList;
use super::load_error_alert::LoadErrorAlert;
use super::log_input::LogInput;
use super::log_summary::LogSummary;
use super::sample_picker::SamplePicker;
use super::state::AppState;
use super::state_panel::StatePanel;
use super::step_controls::StepControls;
use super::timeline_slider::TimelineSlider;
use crate::engine::samples::SAMPLES;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    provide_context(AppState::new(&SAMPLES[0]));
    view! {
        <header class="app-header">
            <h1>"Rewind"</h1>
            <p class="tagline">"A time machine for event logs: state is a fold of the events."</p>
        </header>
        <main class="layout">
            <section class="load" aria-label="Load a log">
                <SamplePicker/>
                <LogInput/>
                <LoadErrorAlert/>
            </section>
            <section class="travel" aria-label="Travel">
                <LogSummary/>
                <TimelineSlider/>
                <StepControls/>
            </section>
            <div class="panes">
                <EventList/>
                <StatePanel/>
            </div>
        </main>
    }
}
