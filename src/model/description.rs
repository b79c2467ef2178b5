//! A problem said as data (a leaf of `model`: `describe.rs` and the families of descriptions it
//! dispatches to build on it): its code, its message and hint as catalogue ids with arguments.

use super::message::Message;

/// A kind of problem described: its code (inputs.md "Problems"), its sentence, how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    pub code: &'static str,
    pub message: Message,
    pub hint: Option<Message>,
}

pub(super) fn d(code: &'static str, message: Message, hint: Message) -> Description {
    Description {
        code,
        message,
        hint: Some(hint),
    }
}
