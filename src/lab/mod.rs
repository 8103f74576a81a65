//! The Lab (`/lab`): experiments that really run against both modes, and a
//! deliberately naive verifier fenced off from the rest of the app.

pub mod attacks;
pub mod naive;
