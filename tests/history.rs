#[path = "history/command.rs"]
mod command;
mod common;
