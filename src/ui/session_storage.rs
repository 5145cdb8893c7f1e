use super::state::AppState;

pub fn keep_session_in_storage(_state: AppState) {}
