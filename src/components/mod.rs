pub mod audit;
pub mod error_note;
pub mod local_time;
pub mod logins;
pub mod mode_badge;
pub mod nav;
pub mod timeline;
