use super::state::AppState;

pub fn load_log_from_url(_state: AppState) {}
