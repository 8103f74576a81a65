pub mod admin;
pub mod board;
pub mod home;
pub mod login;
pub mod me;
pub mod signup;
