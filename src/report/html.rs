//! The plan as one self-contained HTML page for the manager who approves a rollout: no network,
//! no external asset; readable on a phone and printable. Summary figures first, what was changed
//! by hand since the last run (only when anything was), charts of grants and revocations per
//! structure and per dossier (inline SVG drawn here: two bar charts need no library), the
//! actions grouped by person with their source rows, the problems with their locations, the
//! portal users no input names. Filters by structure, dossier and kind of action are a few
//! lines of plain JavaScript over `data-` attributes; without JavaScript everything is shown.
//! Everything from the inputs or the portal is HTML-escaped; NRNs are masked upstream.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::model::Severity;
use crate::plan::{Action, Op, PersonPlan};

use super::plan::{PlanReport, dossiers_text};
use crate::t;

pub use super::html_escape as escape;

const STYLE: &str = r#"
:root{--ok:#1a7f37;--rev:#c62828;--muted:#5f6368;--line:#dadce0;--bg:#f8f9fa}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#202124}
header,main{max-width:1100px;margin:0 auto;padding:12px 16px}
header{border-bottom:1px solid var(--line)}
h1{font-size:1.35em;margin:.2em 0}
h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.meta{color:var(--muted);font-size:.9em}
code{font-size:.95em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:12px 0}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:8px 10px}
.card b{display:block;font-size:1.6em}
.card.err b{color:var(--rev)}
.card.warn{color:inherit;text-decoration:none}.card.warn b{color:#b06000}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
figure{margin:0}
svg{max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#202124}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;background:var(--bg);padding:8px;border-radius:8px}
.filters select{font:inherit;padding:4px;max-width:100%}
.filters label{max-width:100%}
.person{border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:10px 0;break-inside:avoid}
.person h3{font-size:1em;margin:0 0 4px;overflow-wrap:anywhere}
.new{color:var(--ok);font-weight:600}
.ba{color:var(--muted);font-size:.92em;margin:2px 0}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;border-bottom:1px solid var(--line);padding:4px 6px;vertical-align:top;overflow-wrap:anywhere}
td.src{color:var(--muted);font-size:.88em;word-break:break-all}
.grant{color:var(--ok)} .revoke{color:var(--rev)}
td.grant,td.revoke{white-space:nowrap}
.sev-error{color:var(--rev);font-weight:600} .sev-warning{color:#b06000}
.hidden{display:none}
footer{color:var(--muted);font-size:.85em;max-width:1100px;margin:24px auto;padding:0 16px}
@media (max-width:600px){body{font-size:14px}.cards{grid-template-columns:repeat(2,1fr)}th.src,td.src{display:none}}
@media print{.filters,noscript{display:none}.person{page-break-inside:avoid}a{color:inherit}}
"#;

const SCRIPT: &str = r#"
(function(){
  var f = document.getElementById('filters'); if (!f) return;
  f.classList.remove('hidden');
  function apply(){
    var s = document.getElementById('f-structure').value,
        d = document.getElementById('f-dossier').value,
        k = document.getElementById('f-kind').value, shown = 0;
    document.querySelectorAll('.person').forEach(function(p){
      var any = false;
      p.querySelectorAll('tr.action').forEach(function(tr){
        var ok = (!s || tr.dataset.structure === s || tr.dataset.structures.split(' ').indexOf(s) >= 0)
              && (!d || tr.dataset.dossier === d) && (!k || tr.dataset.kind === k);
        tr.classList.toggle('hidden', !ok); any = any || ok;
      });
      p.classList.toggle('hidden', !any); if (any) shown++;
    });
    var count = document.getElementById('f-count');
    var one = new Intl.PluralRules(document.documentElement.lang).select(shown) === 'one';
    count.textContent = shown + ' ' + (one ? count.dataset.unitOne : count.dataset.unitOther);
  }
  f.addEventListener('change', apply); apply();
})();
"#;

fn kind(op: Op) -> &'static str {
    match op {
        Op::CreateUser => "create",
        Op::GrantDossier | Op::GrantStructure => "grant",
        Op::RevokeDossier | Op::RevokeStructure => "revoke",
    }
}

/// A horizontal bar chart of (label, grants, revocations), as inline SVG.
fn bars(title: &str, rows: &[(String, usize, usize)]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure><figcaption><b>{}</b></figcaption>",
        escape(title)
    );
    if rows.is_empty() {
        let _ = write!(
            out,
            "<p class=\"meta\">{}</p></figure>",
            escape(&t!("html-no-change-chart"))
        );
        return out;
    }
    let max = rows.iter().map(|r| r.1 + r.2).max().unwrap_or(1).max(1) as f64;
    let (label_w, bar_w, row_h) = (190.0, 260.0, 22.0);
    let height = row_h * rows.len() as f64 + 24.0;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        escape(title),
        w = label_w + bar_w + 60.0
    );
    for (i, (label, grants, revokes)) in rows.iter().enumerate() {
        let y = i as f64 * row_h;
        let g = bar_w * *grants as f64 / max;
        let r = bar_w * *revokes as f64 / max;
        let shown: String = if label.chars().count() > 28 {
            label.chars().take(27).collect::<String>() + "…"
        } else {
            label.clone()
        };
        let _ = write!(
            out,
            "<g><title>{t}</title>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{s}</text>\
             <rect x=\"{label_w}\" y=\"{ry}\" width=\"{g:.1}\" height=\"14\" fill=\"#1a7f37\"/>\
             <rect x=\"{rx:.1}\" y=\"{ry}\" width=\"{r:.1}\" height=\"14\" fill=\"#c62828\"/>\
             <text x=\"{nx:.1}\" y=\"{ty}\">{n}</text></g>",
            t = escape(&t!(
                "html-chart-bar",
                label = label.as_str(),
                grants = *grants,
                revokes = *revokes
            )),
            s = escape(&shown),
            lx = label_w - 6.0,
            ty = y + 15.0,
            ry = y + 4.0,
            rx = label_w + g,
            nx = label_w + g + r + 4.0,
            n = grants + revokes,
        );
    }
    let ly = rows.len() as f64 * row_h + 16.0;
    let _ = write!(
        out,
        "<rect x=\"{label_w}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#1a7f37\"/><text x=\"{}\" y=\"{ly}\">{}</text>\
         <rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#c62828\"/><text x=\"{}\" y=\"{ly}\">{}</text></svg></figure>",
        ly - 9.0,
        label_w + 14.0,
        escape(&t!("html-legend-grants")),
        label_w + 110.0,
        ly - 9.0,
        label_w + 124.0,
        escape(&t!("html-legend-revocations")),
    );
    out
}

/// Grants and revocations per structure (the 15 busiest) and per dossier.
fn charts(r: &PlanReport<'_>) -> String {
    let mut per_structure: HashMap<String, (usize, usize)> = HashMap::new();
    let mut per_dossier: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for a in &r.plan.actions {
        let revoke = matches!(a.op, Op::RevokeDossier | Op::RevokeStructure);
        let bump = |e: &mut (usize, usize)| {
            if revoke { e.1 += 1 } else { e.0 += 1 }
        };
        if let Some(s) = &a.structure {
            bump(per_structure.entry(r.structure_label(s)).or_default());
        }
        if let Some(d) = a.dossier {
            bump(per_dossier.entry(d.label().to_owned()).or_default());
        }
    }
    let mut s: Vec<(String, usize, usize)> = per_structure
        .into_iter()
        .map(|(k, (g, v))| (k, g, v))
        .collect();
    s.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    let more = s.len().saturating_sub(15);
    s.truncate(15);
    let d: Vec<(String, usize, usize)> = per_dossier
        .into_iter()
        .map(|(k, (g, v))| (k, g, v))
        .collect();
    let mut out = String::from("<div class=\"charts\">");
    out.push_str(&bars(&t!("html-by-structure"), &s));
    out.push_str(&bars(&t!("html-by-dossier"), &d));
    out.push_str("</div>");
    if more > 0 {
        let _ = write!(
            out,
            "<p class=\"meta\">{}</p>",
            escape(&t!("html-more-structures", count = more))
        );
    }
    out
}

fn action_row(r: &PlanReport<'_>, a: &Action, structures_after: &str) -> String {
    let (sign, class) = match kind(a.op) {
        "revoke" => ("−", "revoke"),
        _ => ("+", "grant"),
    };
    let what = match (a.op, r.item_of(a)) {
        (Op::GrantDossier | Op::RevokeDossier, Some(item)) => {
            t!("html-action-dossier", item = item)
        }
        (_, Some(item)) => t!("html-action-structure", item = item),
        (_, None) => t!("html-create-user"),
    };
    let what = format!("{what}{}", crate::report::plan::ended_mark(a));
    let what = if r.plan.holds(a) {
        t!("html-held-mark", what = what)
    } else {
        what
    };
    let sources: Vec<String> = a.sources.iter().map(ToString::to_string).collect();
    format!(
        "<tr class=\"action\" data-kind=\"{k}\" data-dossier=\"{d}\" data-structure=\"{s}\" data-structures=\"{all}\">\
         <td class=\"{class}\">{sign} #{id}</td><td>{what}</td><td class=\"src\">{src}</td></tr>",
        k = kind(a.op),
        d = a.dossier.map(|d| d.code()).unwrap_or(""),
        s = escape(a.structure.as_ref().map(|s| s.as_str()).unwrap_or("")),
        all = escape(structures_after),
        id = a.id,
        what = escape(&what),
        src = escape(&sources.join(", ")),
    )
}

pub fn html(r: &PlanReport<'_>) -> String {
    let mut out = String::new();
    head(r, &mut out);
    summary_cards(r, &mut out);
    if r.plan.stops() {
        let _ = write!(
            out,
            "<p class=\"sev-error\">{}</p>",
            escape(&t!("html-guard-stops"))
        );
    } else if r.summary.held > 0 {
        let _ = write!(
            out,
            "<p class=\"sev-warning\">{}</p>",
            escape(&t!("html-guard-holds", count = r.summary.held))
        );
    }
    out.push_str(&super::revert::html(r));
    out.push_str(&super::drift::html(r.drift, &|id| r.structure_name(id)));
    let _ = write!(out, "<h2>{}</h2>", escape(&t!("html-changes")));
    out.push_str(&charts(r));
    let people = r.people_with_actions();
    filters(r, people.len(), &mut out);
    for (p, actions) in &people {
        person_section(r, p, actions, &mut out);
    }
    if r.plan.actions.is_empty() {
        let none = if r.revert.is_some() {
            t!("revert-no-changes")
        } else if r.plan.mode == crate::plan::Mode::Review {
            t!("review-no-changes")
        } else {
            t!("html-no-changes")
        };
        let _ = write!(out, "<p>{}</p>", escape(&none));
    }
    leavers(r, &mut out);
    dated(r, &mut out);
    problems_table(r, &mut out);
    unlisted_users(r, &mut out);
    let _ = write!(
        out,
        "</main><footer>{}</footer><script>{SCRIPT}</script></body></html>",
        escape(&t!(
            "html-footer",
            version = env!("CARGO_PKG_VERSION"),
            fingerprint = &r.fingerprint
        ))
    );
    out.push('\n');
    out
}

/// The document's head and the page header: the fingerprint the manager approves.
fn head(r: &PlanReport<'_>, out: &mut String) {
    let mode = match r.plan.mode {
        crate::plan::Mode::Additive => t!("html-mode-additive"),
        crate::plan::Mode::Prune => t!("html-mode-prune"),
        crate::plan::Mode::Revert => t!("html-mode-revert"),
        crate::plan::Mode::Review => t!("html-mode-review"),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\
         <header><h1>{heading} <code>{fp}</code></h1>\
         <div class=\"meta\">{meta} <code>{fp}</code> : {approve}</div></header><main>",
        lang = crate::report::i18n::language().code(),
        title = escape(&t!(
            "html-title",
            fingerprint = &r.fingerprint,
            organisation = &r.organisation
        )),
        heading = escape(&t!("html-heading")),
        meta = escape(&t!(
            "html-meta",
            organisation = &r.organisation,
            mode = mode
        )),
        approve = escape(&t!("html-meta-approve")),
        fp = escape(&r.fingerprint),
    );
}

/// One card per figure of the summary.
fn summary_cards(r: &PlanReport<'_>, out: &mut String) {
    let s = &r.summary;
    let revocations = s.revoke_dossier + s.revoke_structure;
    let cards = [
        (t!("html-card-created"), s.create_user, false),
        (t!("html-card-dossiers"), s.grant_dossier, false),
        (t!("html-card-structures"), s.grant_structure, false),
        (t!("html-card-revocations"), revocations, false),
        (t!("html-card-implicit"), s.implicit, false),
        (t!("html-card-unchanged"), s.unchanged_people, false),
        (t!("html-card-invalid"), s.invalid_rows, s.invalid_rows > 0),
        (t!("html-card-warnings"), s.warnings, false),
        (t!("html-card-leavers"), r.plan.leavers.len(), false),
        (t!("html-card-upcoming"), r.plan.upcoming.len(), false),
        (t!("html-card-ending"), r.plan.ending.len(), false),
    ];
    out.push_str("<section class=\"cards\" id=\"summary\">");
    for (label, n, bad) in cards {
        let _ = write!(
            out,
            "<div class=\"card{}\"><b>{n}</b>{}</div>",
            if bad { " err" } else { "" },
            escape(&label)
        );
    }
    if !r.drift.is_empty() {
        // Only when there is any: a page without drift reads as before.
        let _ = write!(
            out,
            "<a class=\"card warn\" href=\"#drift\"><b>{}</b>{}</a>",
            r.drift.len(),
            escape(&t!("drift-card"))
        );
    }
    out.push_str("</section>");
}

/// The filters by structure, dossier and kind (plain JS over data- attributes), with options
/// from what the plan touches.
fn filters(r: &PlanReport<'_>, people: usize, out: &mut String) {
    let mut structures: BTreeMap<String, String> = BTreeMap::new();
    let mut dossiers: BTreeMap<&'static str, &'static str> = BTreeMap::new();
    for a in &r.plan.actions {
        if let Some(st) = &a.structure {
            structures.insert(st.as_str().to_owned(), r.structure_label(st));
        }
        if let Some(d) = a.dossier {
            dossiers.insert(d.code(), d.label());
        }
    }
    let _ = write!(
        out,
        "<h2>{by_person}</h2>\
         <noscript><p class=\"meta\">{noscript}</p></noscript>\
         <form id=\"filters\" class=\"filters hidden\" onsubmit=\"return false\">\
         <label>{structure} <select id=\"f-structure\"><option value=\"\">{all_f}</option>",
        by_person = escape(&t!("html-by-person", count = people)),
        noscript = escape(&t!("html-noscript")),
        structure = escape(&t!("html-filter-structure")),
        all_f = escape(&t!("html-filter-all-f"))
    );
    for (id, label) in &structures {
        let _ = write!(
            out,
            "<option value=\"{}\">{} — {}</option>",
            escape(id),
            escape(id),
            escape(label)
        );
    }
    let _ = write!(
        out,
        "</select></label><label>{} <select id=\"f-dossier\"><option value=\"\">{}</option>",
        escape(&t!("html-filter-dossier")),
        escape(&t!("html-filter-all-m"))
    );
    for (code, label) in &dossiers {
        let _ = write!(out, "<option value=\"{code}\">{}</option>", escape(label));
    }
    let _ = write!(
        out,
        "</select></label><label>{} <select id=\"f-kind\"><option value=\"\">{}</option>\
         <option value=\"create\">{}</option><option value=\"grant\">{}</option>\
         <option value=\"revoke\">{}</option></select></label>\
         <span id=\"f-count\" class=\"meta\" data-unit-one=\"{}\" data-unit-other=\"{}\"></span></form>",
        escape(&t!("html-filter-action")),
        escape(&t!("html-filter-all-f")),
        escape(&t!("html-kind-create")),
        escape(&t!("html-kind-grant")),
        escape(&t!("html-kind-revoke")),
        // The page counts in the browser: both forms, chosen there by the language's rules.
        escape(&t!("html-people-unit", count = 1u32)),
        escape(&t!("html-people-unit", count = 2u32))
    );
}

/// One person's before → after and actions.
fn person_section(r: &PlanReport<'_>, p: &PersonPlan, actions: &[&Action], out: &mut String) {
    let after_ids: Vec<&str> = p.structures_after.iter().map(|x| x.as_str()).collect();
    let who = match &p.user_id {
        Some(id) => escape(id),
        None => format!(
            "<span class=\"new\">{}</span>",
            escape(&t!("html-new-person"))
        ),
    };
    let _ = write!(
        out,
        "<section class=\"person\"><h3>{} &lt;{}&gt; · {who}</h3>\
             <div class=\"ba\">{}</div>\
             <div class=\"ba\">{}</div>\
             <table><thead><tr><th>#</th><th>{}</th><th class=\"src\">{}</th></tr></thead><tbody>",
        escape(&p.name),
        escape(&p.email),
        escape(&t!(
            "html-dossiers",
            before = dossiers_text(p.dossiers_before, p.admin),
            after = dossiers_text(p.dossiers_after, p.admin)
        )),
        escape(&t!(
            "html-structures",
            before = r.structures_text(&p.structures_before),
            after = r.structures_text(&p.structures_after)
        )),
        escape(&t!("html-col-action")),
        escape(&t!("html-col-sources")),
    );
    for a in actions.iter() {
        out.push_str(&action_row(r, a, &after_ids.join(" ")));
    }
    out.push_str("</tbody></table></section>");
}

/// The leavers: a section per person with what they lose.
fn leavers(r: &PlanReport<'_>, out: &mut String) {
    if r.plan.leavers.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<h2>{}</h2><p class=\"meta\">{}</p>",
        escape(&t!("html-leavers", count = r.plan.leavers.len())),
        escape(&t!("html-leavers-meta"))
    );
    for l in &r.plan.leavers {
        let _ = write!(
            out,
            "<section class=\"person leaver\"><h3>{} &lt;{}&gt; · {}</h3><div class=\"ba revoke\">{}</div></section>",
            escape(&l.name),
            escape(&l.email),
            escape(l.user_id.as_deref().unwrap_or("")),
            escape(&t!(
                "html-leaver-loses",
                dossiers = dossiers_text(l.dossiers_before, false),
                structures = r.structures_text(&l.structures_before)
            ))
        );
    }
}

/// The upcoming and ending-soon rows (inputs.md "Dates"): a section each, a line per row.
fn dated(r: &PlanReport<'_>, out: &mut String) {
    for (title, lines) in crate::report::plan::dated_sections(r) {
        let _ = write!(
            out,
            "<section class=\"dated\"><h2>{}</h2><ul>",
            escape(&title)
        );
        for l in lines {
            let _ = write!(out, "<li>{}</li>", escape(&l));
        }
        out.push_str("</ul></section>");
    }
}

fn problems_table(r: &PlanReport<'_>, out: &mut String) {
    let _ = write!(
        out,
        "<h2>{}</h2>",
        escape(&t!("html-problems", count = r.problems.len()))
    );
    if r.problems.is_empty() {
        let _ = write!(out, "<p class=\"meta\">{}</p>", escape(&t!("html-none")));
    } else {
        let _ = write!(
            out,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            escape(&t!("html-col-severity")),
            escape(&t!("html-col-where")),
            escape(&t!("html-col-code")),
            escape(&t!("html-col-problem")),
            escape(&t!("html-col-hint"))
        );
        for p in &r.problems {
            let class = match p.severity {
                Severity::Error => "sev-error",
                Severity::Warning => "sev-warning",
                Severity::Note => "",
            };
            let sev = escape(&super::check::severity_word(p.severity));
            let _ = write!(
                out,
                "<tr><td class=\"{class}\">{sev}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&p.location.to_string()),
                p.code(),
                escape(&super::messages::message(p)),
                escape(&super::messages::hint(p))
            );
        }
        out.push_str("</tbody></table>");
    }
}

/// Where leavers show up: the portal users no input names (the caller aside).
fn unlisted_users(r: &PlanReport<'_>, out: &mut String) {
    let unlisted: Vec<_> = r.plan.unlisted.iter().filter(|u| !u.is_caller).collect();
    let _ = write!(
        out,
        "<h2>{}</h2><p class=\"meta\">{}</p>",
        escape(&t!("html-unlisted", count = unlisted.len())),
        escape(&t!("html-unlisted-meta"))
    );
    if !unlisted.is_empty() {
        out.push_str("<ul>");
        for u in &unlisted {
            let _ = write!(
                out,
                "<li>{} &lt;{}&gt; <span class=\"meta\">{}</span></li>",
                escape(&u.name),
                escape(&u.email),
                escape(&u.user_id)
            );
        }
        out.push_str("</ul>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_by_hand_are_a_section_and_a_card_in_both_languages_and_absent_without() {
        use crate::model::Lang;
        use crate::report::drift::tests::{in_lang, sample};
        let (plan, observed) = crate::report::plan::tests::quiet_portal();
        let drift = sample();
        let page = |lang, drift: &[crate::history::DriftChange]| {
            in_lang(lang, || {
                html(
                    &PlanReport::new(&plan, "0011223344556677", &[], 0, &observed.structures, "O")
                        .with_drift(drift),
                )
            })
        };
        let en = page(Lang::En, &drift);
        assert!(
            en.contains("<h2>Changed by hand since the last run</h2>"),
            "{en}"
        );
        assert!(en.contains("<a class=\"card warn\" href=\"#drift\"><b>2</b>changed by hand</a>"));
        assert!(en.contains(
            "<td>marie.dupont@lespetitspas.be (u-000004)</td><td class=\"revoke\">dossier Bilans revoked by hand</td>\
             <td class=\"src\">since run-20261127T020000Z</td>"
        ), "{en}");
        assert!(en.contains("structure MA-00102 — Les Petits Loups (Namur) granted by hand"));
        let fr = page(Lang::Fr, &drift);
        assert!(fr.contains("<h2>Modifié à la main depuis la dernière exécution</h2>"));
        assert!(
            fr.contains("milieu d&#39;accueil MA-00102 — Les Petits Loups (Namur) donné à la main"),
            "{fr}"
        );
        for lang in [Lang::En, Lang::Fr] {
            let none = page(lang, &[]);
            assert!(!none.contains("id=\"drift\"") && !none.contains("card warn"));
        }
    }

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
