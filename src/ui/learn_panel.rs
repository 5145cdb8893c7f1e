use leptos::prelude::*;

#[component]
pub fn LearnPanel() -> impl IntoView {
    view! { <span class="learn-panel"></span> }
}
