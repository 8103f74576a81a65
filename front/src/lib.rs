//! The wasm bundle's entry point. The application is the `authlab` crate;
//! this crate only makes it a cdylib, so that the server's build of
//! `authlab` is an rlib alone.

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    authlab::hydrate();
}
