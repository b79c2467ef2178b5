//! The message catalogue (Project Fluent): every sentence for a person is a message id with
//! arguments, rendered here in the run's language from the `.ftl` files of
//! `src/report/locales/<lang>/`, embedded in the binary at build time. Adding a language is a
//! folder of `.ftl` files with the same ids, and a `Lang` variant.
//!
//! The language is a fact of the whole process, chosen once at start (cli.md: `--lang`, else
//! `language` in the config, else `LC_ALL`/`LC_MESSAGES`/`LANG`, else English), so it is kept
//! here rather than threaded through every renderer. JSON, the journal, saved plans and metrics
//! never go through it: their keys and codes are the same in every language.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, StaticLoader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./src/report/locales",
        fallback_language: "en",
        customise: |bundle| {
            // No Unicode isolation marks around arguments: they would land in terminals,
            // CSV cells and e-mails as invisible characters.
            bundle.set_use_isolating(false);
            if bundle.locales.first().is_some_and(|l| l.language.as_str() == "fr") {
                bundle.set_formatter(Some(french_number));
            }
        },
    };
}

/// The languages of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `fr`, `fr_BE.UTF-8`, `fr-BE` → French; `en…` → English; anything else: none.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("fr") {
            Some(Lang::Fr)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// cli.md's rule for the environment: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
    /// set and not empty decides; French when it starts with `fr`, English otherwise.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| get(k))
            .find(|v| !v.trim().is_empty())
            .map_or(Lang::En, |v| {
                if v.trim().to_ascii_lowercase().starts_with("fr") {
                    Lang::Fr
                } else {
                    Lang::En
                }
            })
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::En => langid!("en"),
            Lang::Fr => langid!("fr"),
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the process's language (once, at start; tests may switch it).
pub fn set_language(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn language() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Fr,
        _ => Lang::En,
    }
}

/// `1 234 567` (no-break spaces) for French; fluent's own for the rest.
fn french_number<M>(v: &FluentValue<'_>, _: &M) -> Option<String> {
    let FluentValue::Number(n) = v else {
        return None;
    };
    if n.value.fract() != 0.0 || n.value.abs() < 1000.0 || !n.value.is_finite() {
        return None;
    }
    let digits = format!("{}", n.value.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n.value < 0.0 {
        out.insert(0, '-');
    }
    Some(out)
}

/// A value for a message: text as it is, numbers as Fluent numbers (plurals, grouping).
pub trait Arg {
    fn value(self) -> FluentValue<'static>;
}

impl Arg for String {
    fn value(self) -> FluentValue<'static> {
        FluentValue::String(Cow::Owned(self))
    }
}

impl Arg for &str {
    fn value(self) -> FluentValue<'static> {
        FluentValue::String(Cow::Owned(self.to_owned()))
    }
}

impl Arg for &String {
    fn value(self) -> FluentValue<'static> {
        FluentValue::String(Cow::Owned(self.clone()))
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(self) -> FluentValue<'static> {
                FluentValue::from(self as f64)
            }
        }
    )*};
}
number_arg!(usize, u32, u64, i64, u16, u8);

/// The message `id` in `lang` with `args`; a missing message or argument shows as the id and
/// its arguments (and is logged), never as a panic: the catalogue tests keep that from
/// happening.
pub fn render_in(lang: Lang, id: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
        .collect();
    match LOCALES.lookup_single_language(&lang.id(), id, Some(&map)) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(id, lang = lang.code(), "message catalogue: {e}");
            let shown: Vec<String> = args
                .iter()
                .map(|(k, v)| format!("{k}={}", shown(v)))
                .collect();
            format!("[{id} {}]", shown.join(" "))
        }
    }
}

fn shown(v: &FluentValue<'_>) -> String {
    match v {
        FluentValue::String(s) => s.to_string(),
        FluentValue::Number(n) => n.value.to_string(),
        _ => String::new(),
    }
}

/// The loader, for the catalogue's tests.
pub fn loader() -> &'static StaticLoader {
    &LOCALES
}

/// `t!("id", name = value, …)`: the message in the process's language.
#[macro_export]
macro_rules! t {
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::report::i18n::render_in(
            $crate::report::i18n::language(),
            $id,
            vec![$((stringify!($k), $crate::report::i18n::Arg::value($v))),*],
        )
    };
}
