//! The service layer: every rule lives here once; server functions and the
//! JSON API are thin adapters over these functions.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod cluster;
pub mod compare;
pub mod lab;
pub mod login_limit;
pub mod logins;
pub mod loopback;
pub mod me;
pub mod posts;
pub mod race;
pub mod refresh_grace;
pub mod settings;
