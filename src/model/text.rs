//! Text folding shared by every matcher: headers, dossier names, structure names, marks.
//!
//! People type « Prénom », « prenom », « PRÉNOM : » or « Pre-nom » for the same column; the
//! spec says headers and catalogue entries match case-, accent-, space- and
//! punctuation-insensitively. `fold` is that one rule, so every matcher agrees.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-case, accents stripped, only letters and digits kept.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Trimmed, inner whitespace (including non-breaking spaces and line breaks) collapsed to one
/// space, Unicode NFC. Accents and case are kept: this is how names and e-mails are stored.
pub fn clean(s: &str) -> String {
    // Most cells are already clean ASCII: one copy, no normalisation.
    let t = s.trim();
    if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_whitespace() && b != b' ') && !t.contains("  ")
    {
        return t.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        return out; // ASCII is already NFC
    }
    out.nfc().collect()
}

/// The closest candidates to `wanted` (folded comparison), best first, only those that are
/// plausibly what was meant. Used for the "did you mean" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let w = fold(wanted);
    let mut scored: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .map(|c| {
            let f = fold(c);
            let mut score = strsim::normalized_levenshtein(&w, &f);
            // A typed fragment ("lutins") or a longer wording of an entry ("Bilan annuel") is a
            // strong hint even when the edit distance is large.
            let stem = f.strip_suffix('s').unwrap_or(&f);
            if !w.is_empty() && (f.contains(&w) || w.contains(stem)) {
                score = score.max(0.75);
            }
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// A cell that says yes (x, ✓, oui, ja, 1, true…), no (non, nee, 0, false…, empty), or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Yes,
    No,
    Unknown,
}

pub fn mark(s: &str) -> Mark {
    let t = s.trim();
    if t.is_empty() {
        return Mark::No;
    }
    if matches!(t, "✓" | "✔" | "☑" | "✅") {
        return Mark::Yes;
    }
    match fold(t).as_str() {
        "x" | "oui" | "yes" | "ja" | "1" | "true" | "vrai" | "waar" => Mark::Yes,
        "non" | "no" | "nee" | "0" | "false" | "faux" | "onwaar" => Mark::No,
        _ => Mark::Unknown,
    }
}

/// Spreadsheet column letters for a 0-based column index (0 → A, 26 → AA).
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_case_accents_spaces_and_punctuation() {
        assert_eq!(fold(" Prénom : "), "prenom");
        assert_eq!(fold("N° national"), "nnational");
        assert_eq!(fold("Adresse e-mail"), "adresseemail");
        assert_eq!(fold("Milieux d'accueil"), "milieuxdaccueil");
        assert_eq!(fold("PRÉ-DEMANDES"), "predemandes");
    }

    #[test]
    fn clean_collapses_whitespace_and_normalises_to_nfc() {
        assert_eq!(clean("  Van\u{a0}der   Berg \n"), "Van der Berg");
        // "e" + combining acute becomes the single precomposed "é".
        assert_eq!(clean("Rene\u{301}e"), "Ren\u{e9}e");
    }

    #[test]
    fn marks_cover_the_three_languages() {
        for y in [
            "x", "X", "✓", "✔", "oui", "Yes", "ja", "1", "TRUE", "vrai", "waar",
        ] {
            assert_eq!(mark(y), Mark::Yes, "{y}");
        }
        for n in ["", "  ", "non", "No", "nee", "0", "false", "faux", "onwaar"] {
            assert_eq!(mark(n), Mark::No, "{n}");
        }
        assert_eq!(mark("peut-être"), Mark::Unknown);
    }

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
    }

    #[test]
    fn closest_prefers_near_spellings() {
        let c = closest("Bilan annuel", ["Bilans", "Mon équipe", "Pré-demandes"]);
        assert_eq!(c.first(), Some(&"Bilans"));
        assert!(closest("zzzz", ["Bilans"]).is_empty());
    }
}
