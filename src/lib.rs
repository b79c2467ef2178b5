//! proone-sync: bulk user and access administration for the PRO.ONE portal, driven by the
//! spreadsheets HR and IT keep. The flow is `input → plan → apply → report`; see `design.md`.

pub mod api;
pub mod apply;
pub mod cli;
pub mod config;
pub mod emulator;
pub mod history;
pub mod input;
pub mod model;
pub mod plan;
pub mod portal;
pub mod report;
pub mod review;
pub mod rng;
