//! `history --format json` (evidence.md): `{"format": "proone-sync.history/1", "observed":
//! {"first", "last"}, …}` with `people` for `--person`, `on` / `structure` or `dossier` /
//! `complete` / `people` for a question on a day, `changes` for `--drift`. Every answer says
//! `complete`, since a store that did not observe the whole period must never read as
//! "nobody". The same keys and codes in every language.

use serde_json::{Value, json};

use crate::history::Subject;

use super::{Answer, HISTORY_FORMAT, HistoryReport};

/// The JSON document, pretty-printed, with a final line break.
pub fn render(r: &HistoryReport) -> String {
    serde_json::to_string_pretty(&value(r)).unwrap_or_default() + "\n"
}

pub fn value(r: &HistoryReport) -> Value {
    let observed = match &r.observed {
        Some((first, last)) => json!({"first": first, "last": last}),
        None => Value::Null,
    };
    let mut doc = json!({
        "format": HISTORY_FORMAT,
        "observed": observed,
    });
    let fields = match &r.answer {
        Answer::Person { people, .. } => json!({"complete": r.complete, "people": people}),
        Answer::On {
            on,
            subject,
            people,
        } => {
            let (key, item) = match subject {
                Subject::Structure(s) => ("structure", s),
                Subject::Dossier(d) => ("dossier", d),
            };
            json!({
                "on": on.to_string(),
                key: item,
                "complete": r.complete,
                "people": people,
            })
        }
        Answer::Drift { changes } => json!({"complete": r.complete, "changes": changes}),
    };
    if let (Some(doc), Value::Object(fields)) = (doc.as_object_mut(), fields) {
        doc.extend(fields);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_shaped_as_evidence_md_says() {
        let v = value(&super::super::tests::person_report());
        assert_eq!(v["format"], "proone-sync.history/1");
        assert_eq!(v["observed"]["first"], "2026-11-01T01:30:00.000Z");
        assert_eq!(v["complete"], true);
        let p = &v["people"][0];
        assert_eq!(p["user_id"], "u-000010");
        assert_eq!(p["access"][0]["dossier"], "bilans");
        assert_eq!(p["access"][0]["intervals"][0]["until"], Value::Null);
        assert_eq!(p["access"][0]["intervals"][0]["began"]["by"], "job");
        assert_eq!(
            p["access"][0]["intervals"][0]["began"]["sources"][0],
            "staff.xlsx:Personnel:4"
        );
        assert_eq!(p["access"][1]["structure"], "MA-00101");
        assert_eq!(p["access"][1]["intervals"][0]["began"]["by"], "unknown");
        assert_eq!(p["access"][1]["intervals"][0]["ended"]["by"], "hand");
        assert_eq!(
            p["access"][1]["intervals"][0]["ended"]["after_run"],
            "run-20261102T023000Z"
        );
        // The masked NRN the person was named by is for people's reports, not this document.
        assert!(!render(&super::super::tests::person_report()).contains("3328"));
    }
}
