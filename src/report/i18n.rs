//! The message catalogue (Project Fluent): every sentence for a person is a message id with
//! arguments, rendered here in the run's language from the `.ftl` files of
//! `src/report/locales/<lang>/`, embedded in the binary at build time. Adding a language is a
//! folder of `.ftl` files with the same ids, and a `Lang` variant (`model::Lang`). What the
//! other layers describe as data (`model::Message`: a problem, a refusal of the config file)
//! is rendered here too.
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

use crate::model::{Lang, Message, Value};

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

fn langid(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::En => langid!("en"),
        Lang::Fr => langid!("fr"),
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
    if !n.value.is_finite() {
        return None;
    }
    if n.value.fract() != 0.0 {
        // « 2,5 s »: the decimal comma.
        return Some(format!("{}", n.value).replace('.', ","));
    }
    if n.value.abs() < 1000.0 {
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
number_arg!(usize, u32, u64, i64, u16, u8, f64);

/// The message `id` in `lang` with `args`; a missing message or argument shows as the id and
/// its arguments (and is logged), never as a panic: the catalogue tests keep that from
/// happening.
pub fn render_in(lang: Lang, id: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
        .collect();
    match LOCALES.lookup_single_language(&langid(lang), id, Some(&map)) {
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

/// A message described as data (`model::Message`) in `lang`: its arguments first, a message
/// among them said in the same language, a list joined by its separator.
pub fn render_message_in(lang: Lang, m: &Message) -> String {
    let args = m
        .args
        .iter()
        .map(|(k, v)| (*k, fluent_value(lang, v)))
        .collect();
    render_in(lang, m.id, args)
}

/// A described message in the process's language.
pub fn render_message(m: &Message) -> String {
    render_message_in(language(), m)
}

fn fluent_value(lang: Lang, v: &Value) -> FluentValue<'static> {
    match v {
        Value::Text(s) => FluentValue::String(Cow::Owned(s.clone())),
        Value::Number(n) => FluentValue::from(*n),
        Value::Message(m) => FluentValue::String(Cow::Owned(render_message_in(lang, m))),
        Value::List(items, sep) => {
            let sep = shown(&fluent_value(lang, sep));
            let items: Vec<String> = items
                .iter()
                .map(|i| shown(&fluent_value(lang, i)))
                .collect();
            FluentValue::String(Cow::Owned(items.join(&sep)))
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

/// A message not yet rendered: its id and arguments. What `--log-format json` lines carry
/// (the id as `code`, the arguments as fields: no sentence), and what a person reads once
/// rendered (`Display`).
#[derive(Debug, Clone)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, FluentValue<'static>)>,
}

impl Msg {
    pub fn text(&self) -> String {
        render_in(language(), self.id, self.args.clone())
    }

    /// The message in `lang` (a review sheet is in its reviewer's language, not the run's).
    pub fn text_in(&self, lang: Lang) -> String {
        render_in(lang, self.id, self.args.clone())
    }

    /// The arguments as JSON fields (numbers stay numbers).
    pub fn fields(&self) -> serde_json::Map<String, serde_json::Value> {
        self.args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    FluentValue::Number(n) => serde_json::json!(n.value),
                    other => serde_json::Value::from(shown(other)),
                };
                ((*k).to_owned(), v)
            })
            .collect()
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// The loader, for the catalogue's tests.
pub fn loader() -> &'static StaticLoader {
    &LOCALES
}

/// `msg!(<id>, name = value, …)`: the message as data (`Msg`), for lines said on stderr.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::report::i18n::Msg {
            id: $id,
            args: vec![$((stringify!($k), $crate::report::i18n::Arg::value($v))),*],
        }
    };
}

/// `t!(<id>, name = value, …)`: the message in the process's language.
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

#[cfg(test)]
mod tests {
    //! The catalogue kept whole: both languages have the same ids, every id is used by the
    //! code and every id the code uses exists, and every variable a message uses is given at
    //! every place that asks for it.

    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, ext, out);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }

    fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for e in &p.elements {
            if let ast::PatternElement::Placeable { expression } = e {
                expression_vars(expression, out);
            }
        }
    }

    fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => inline_vars(i, out),
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, out);
                for v in variants {
                    pattern_vars(&v.value, out);
                }
            }
        }
    }

    fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
            _ => {}
        }
    }

    /// id → variables, for one language's folder; parse errors fail the test.
    fn catalogue(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
        let mut paths = Vec::new();
        files(
            &root().join("src/report/locales").join(lang),
            "ftl",
            &mut paths,
        );
        assert!(!paths.is_empty(), "no .ftl for {lang}");
        let mut ids = BTreeMap::new();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let res = fluent_syntax::parser::parse(text.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", p.display()));
            for entry in &res.body {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(v) = &m.value {
                        pattern_vars(v, &mut vars);
                    }
                    let dup = ids.insert(m.id.name.to_owned(), vars);
                    assert!(dup.is_none(), "{}: {} twice", p.display(), m.id.name);
                }
            }
        }
        ids
    }

    /// Every `t!(…)`, `msg!(…)` and `message!(…)` of the sources: the id and the names of the
    /// arguments given.
    fn calls() -> Vec<(String, String, BTreeSet<String>)> {
        let mut paths = Vec::new();
        files(&root().join("src"), "rs", &mut paths);
        let mut out = Vec::new();
        for p in paths.iter().filter(|p| !p.ends_with("report/i18n.rs")) {
            let text = std::fs::read_to_string(p).unwrap();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("!(") {
                // A call of `t!`, `msg!` or `message!`: the identifier just before `!(`.
                let before = &rest[..at];
                let start = before
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |i| i + 1);
                let ident = &before[start..];
                rest = &rest[at + 2..];
                if !["t", "msg", "message"].contains(&ident) {
                    continue;
                }
                // Scanning goes on inside the call too: a message may be an argument of another.
                let (args, _) = split_call(rest);
                let id = args[0].trim().trim_matches('"').to_owned();
                let given = args[1..]
                    .iter()
                    .filter_map(|a| a.split_once('=').map(|(k, _)| k.trim().to_owned()))
                    .collect();
                out.push((format!("{}", p.display()), id, given));
            }
        }
        out
    }

    /// The top-level comma-separated arguments up to the closing parenthesis, and what follows.
    fn split_call(s: &str) -> (Vec<String>, &str) {
        let (mut depth, mut in_str, mut escaped) = (0i32, false, false);
        let mut args = vec![String::new()];
        for (i, c) in s.char_indices() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                }
            } else {
                match c {
                    '"' => in_str = true,
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => return (args, &s[i + 1..]),
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        args.push(String::new());
                        continue;
                    }
                    _ => {}
                }
            }
            if let Some(last) = args.last_mut() {
                last.push(c);
            }
        }
        (args, "")
    }

    #[test]
    fn both_languages_say_the_same_messages() {
        let en = catalogue("en");
        let fr = catalogue("fr");
        let only_en: Vec<_> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
        let only_fr: Vec<_> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            only_en.is_empty() && only_fr.is_empty(),
            "only in en: {only_en:?}; only in fr: {only_fr:?}"
        );
    }

    #[test]
    fn every_message_used_exists_and_gets_its_variables_and_every_message_is_used() {
        let langs = [("en", catalogue("en")), ("fr", catalogue("fr"))];
        let calls = calls();
        assert!(calls.len() > 100, "the scan found {} calls", calls.len());
        let mut used = BTreeSet::new();
        for (file, id, given) in &calls {
            used.insert(id.clone());
            let mut wanted_somewhere = BTreeSet::new();
            for (lang, ids) in &langs {
                let vars = ids
                    .get(id)
                    .unwrap_or_else(|| panic!("{file}: {id} is not in the {lang} catalogue"));
                let missing: Vec<_> = vars.difference(given).collect();
                assert!(
                    missing.is_empty(),
                    "{file}: {id} ({lang}) needs {missing:?}"
                );
                wanted_somewhere.extend(vars.iter().cloned());
            }
            let unused: Vec<_> = given.difference(&wanted_somewhere).collect();
            assert!(
                unused.is_empty(),
                "{file}: {id} is given {unused:?}, which no language says"
            );
        }
        let unused: Vec<_> = langs[0].1.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    }

    #[test]
    fn numbers_plurals_and_languages() {
        let n =
            |lang, v: usize| render_in(lang, "check-invalid-skipped", vec![("count", v.value())]);
        assert_eq!(n(Lang::En, 1), "(1 invalid row skipped)");
        assert_eq!(n(Lang::En, 3), "(3 invalid rows skipped)");
        assert_eq!(n(Lang::Fr, 1), "(1 ligne invalide ignorée)");
        assert_eq!(n(Lang::Fr, 0), "(0 ligne invalide ignorée)");
        assert_eq!(n(Lang::Fr, 3), "(3 lignes invalides ignorées)");
        assert_eq!(n(Lang::Fr, 1234), "(1\u{a0}234 lignes invalides ignorées)");
        assert_eq!(n(Lang::En, 1234), "(1234 invalid rows skipped)");
        // A fraction has the decimal comma in French (« 2,5 s »), the point in English.
        let secs = |lang| {
            render_in(
                lang,
                "reason-portal-no-answer",
                vec![("secs", 2.5f64.value())],
            )
        };
        assert_eq!(secs(Lang::Fr), "le portail n'a pas répondu en 2,5 s");
        assert_eq!(secs(Lang::En), "the portal did not answer within 2.5 s");
        // A message that lacks an argument shows its id, never panics.
        assert!(
            render_in(Lang::Fr, "check-invalid-skipped", vec![])
                .starts_with("[check-invalid-skipped")
        );
        // A described message: its message arguments and lists said in the same language.
        let m = crate::message!(
            "hint-structure-name-closest",
            closest = Value::list(["A", "B"], crate::message!("or"))
        );
        assert_eq!(
            render_message_in(Lang::Fr, &m),
            render_in(
                Lang::Fr,
                "hint-structure-name-closest",
                vec![("closest", "A ou B".value())]
            )
        );
    }
}
