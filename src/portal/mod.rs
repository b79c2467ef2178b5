//! The portal's API: its wire types (shared with the emulator, and nothing else is), and — with
//! the portal client — fetching the observed state.

pub mod wire;
