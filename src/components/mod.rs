pub mod audit;
pub mod local_time;
pub mod logins;
pub mod mode_badge;
pub mod nav;
