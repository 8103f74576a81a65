pub mod mode_badge;
pub mod nav;
