pub mod admin;
pub mod board;
pub mod devices;
pub mod home;
pub mod login;
pub mod me;
pub mod signup;
