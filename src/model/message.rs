//! A sentence for a person, as data: a message id of the catalogue and its arguments, not yet
//! rendered. The layers that find something to say (a problem of the inputs or of the plan, a
//! refusal of the config file) describe it with these; `report` renders them in the run's
//! language, so none of those layers needs the catalogue, and the catalogue none of them.

/// A message of the catalogue (`src/report/locales/<lang>/*.ftl`) with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Value)>,
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text as it is.
    Text(String),
    /// A number (the catalogue picks plurals and groups digits by it).
    Number(f64),
    /// Another message, rendered in the same language.
    Message(Box<Message>),
    /// Values rendered and joined by a separator (a value too: `", "`, or the message `or`).
    List(Vec<Value>, Box<Value>),
}

impl Value {
    pub fn list<T: Into<Value>>(
        items: impl IntoIterator<Item = T>,
        sep: impl Into<Value>,
    ) -> Value {
        Value::List(
            items.into_iter().map(Into::into).collect(),
            Box::new(sep.into()),
        )
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::Text(s.clone())
    }
}

impl From<Message> for Value {
    fn from(m: Message) -> Value {
        Value::Message(Box::new(m))
    }
}

macro_rules! number_value {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(n as f64)
            }
        }
    )*};
}
number_value!(usize, u32, u64, i64, u16, u8, f64);

/// A value as Rust's `{:?}` escapes it, without the quotes (a control character or a quote in a
/// cell is shown, not obeyed), for the catalogue to quote in its language.
pub fn escaped(v: &str) -> String {
    let d = format!("{v:?}");
    d.get(1..d.len().saturating_sub(1)).unwrap_or("").to_owned()
}

/// A `Message` from a literal id and `name = value` pairs (each value `Into<Value>`), as `t!`
/// and `msg!` take them; the catalogue's tests check the ids and arguments given this way too.
#[macro_export]
macro_rules! message {
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::model::Message {
            id: $id,
            args: vec![$((stringify!($k), $crate::model::Value::from($v))),*],
        }
    };
}
