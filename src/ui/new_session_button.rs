use leptos::prelude::*;

#[component]
pub fn NewSessionButton() -> impl IntoView {
    view! { <span class="new_session_button"></span> }
}
