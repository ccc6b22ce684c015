//! Bytes to text, and text to fields.
//!
//! Rating files come as UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order
//! mark, or Latin-1 (old MovieLens and MovieTweetings title files). [`decode`] accepts all three
//! and never fails: bytes that are not valid UTF-8 and carry no UTF-16 mark are read as Latin-1,
//! where every byte is a character.

use std::borrow::Cow;

/// How the bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
}

/// Decodes a file's bytes; a leading byte-order mark is dropped.
///
/// ```
/// use mf_playground::data::text::{decode, Encoding};
/// assert_eq!(decode(b"caf\xc3\xa9").0, "café");
/// assert_eq!(decode(b"caf\xe9"), ("café".into(), Encoding::Latin1));
/// ```
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (Cow::Borrowed(s), Encoding::Utf8);
        }
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (
            Cow::Owned(utf16(rest, u16::from_le_bytes)),
            Encoding::Utf16Le,
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (
            Cow::Owned(utf16(rest, u16::from_be_bytes)),
            Encoding::Utf16Be,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
        Err(_) => (
            Cow::Owned(bytes.iter().map(|&b| b as char).collect()),
            Encoding::Latin1,
        ),
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The separator between fields on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Delimiter {
    Comma,
    Tab,
    Semicolon,
    Pipe,
    /// `::`, as in MovieLens 1M and MovieTweetings `ratings.dat`.
    DoubleColon,
    /// Any run of spaces and tabs.
    Whitespace,
}

impl Delimiter {
    /// A name for messages and previews.
    pub fn name(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Tab => "tab",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Pipe => "pipe",
            Delimiter::DoubleColon => "::",
            Delimiter::Whitespace => "whitespace",
        }
    }

    /// Splits one line into fields. Comma and semicolon fields may be double-quoted
    /// (RFC 4180: `""` inside quotes is a quote); an unclosed quote is an error naming the field.
    /// Surrounding spaces are trimmed from every field.
    pub fn split(self, line: &str) -> std::result::Result<Vec<String>, (usize, String)> {
        match self {
            Delimiter::Whitespace => Ok(line.split_whitespace().map(str::to_string).collect()),
            Delimiter::DoubleColon => Ok(line.split("::").map(|f| f.trim().to_string()).collect()),
            Delimiter::Tab => Ok(line.split('\t').map(|f| f.trim().to_string()).collect()),
            Delimiter::Pipe => Ok(line.split('|').map(|f| f.trim().to_string()).collect()),
            Delimiter::Comma => split_quoted(line, ','),
            Delimiter::Semicolon => split_quoted(line, ';'),
        }
    }
}

fn split_quoted(line: &str, sep: char) -> std::result::Result<Vec<String>, (usize, String)> {
    if !line.contains('"') {
        return Ok(line.split(sep).map(|f| f.trim().to_string()).collect());
    }
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if was_quoted && !quoted && c != sep && c.is_whitespace() {
            continue; // spaces between a closing quote and the separator
        }
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.trim().is_empty() {
            field.clear();
            quoted = true;
            was_quoted = true;
        } else if c == sep {
            fields.push(finish(&field, was_quoted));
            field.clear();
            was_quoted = false;
        } else {
            field.push(c);
        }
    }
    if quoted {
        return Err((
            fields.len() + 1,
            "a quoted field is not closed on this line".to_string(),
        ));
    }
    fields.push(finish(&field, was_quoted));
    Ok(fields)
}

fn finish(field: &str, was_quoted: bool) -> String {
    if was_quoted {
        field.to_string()
    } else {
        field.trim().to_string()
    }
}

/// Guesses the delimiter from a few lines: `::` if present, else the candidate that appears the
/// same non-zero number of times on most lines, else whitespace.
pub fn guess_delimiter(lines: &[&str]) -> Delimiter {
    if lines.is_empty() {
        return Delimiter::Whitespace;
    }
    if lines.iter().all(|l| l.contains("::")) {
        return Delimiter::DoubleColon;
    }
    let candidates = [
        (Delimiter::Tab, '\t'),
        (Delimiter::Comma, ','),
        (Delimiter::Semicolon, ';'),
        (Delimiter::Pipe, '|'),
    ];
    let mut best = (Delimiter::Whitespace, 0usize);
    for (d, c) in candidates {
        let counts: Vec<usize> = lines.iter().map(|l| l.matches(c).count()).collect();
        let first = counts[0];
        let present = counts.iter().filter(|&&n| n > 0).count();
        if first == 0 || present * 10 < lines.len() * 6 {
            continue;
        }
        // Most lines (60%) must hold the separator; the score prefers separators whose count agrees
        // from line to line, then frequent ones. A ragged line is then reported, not hidden.
        let agree = counts.iter().filter(|&&n| n == first).count();
        let score = agree * 1000 + present * 100 + first;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf16_and_latin1() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").0, "a,b");
        let le: Vec<u8> = [0xFF, 0xFE, b'h', 0, b'i', 0].to_vec();
        assert_eq!(decode(&le), ("hi".into(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xFE, 0xFF, 0, b'h', 0, b'i'].to_vec();
        assert_eq!(decode(&be), ("hi".into(), Encoding::Utf16Be));
        assert_eq!(decode(b"Am\xe9lie").0, "Amélie");
    }

    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        let f = Delimiter::Comma
            .split(r#"1,"Heat, The (1995)", "say ""hi""" ,4"#)
            .unwrap();
        assert_eq!(f, vec!["1", "Heat, The (1995)", "say \"hi\"", "4"]);
        let e = Delimiter::Comma.split(r#"1,"open,2"#).unwrap_err();
        assert_eq!(e.0, 2);
    }

    #[test]
    fn delimiters_are_guessed() {
        assert_eq!(guess_delimiter(&["1\t2\t3", "4\t5\t6"]), Delimiter::Tab);
        assert_eq!(
            guess_delimiter(&["1::2::3", "4::5::6"]),
            Delimiter::DoubleColon
        );
        assert_eq!(guess_delimiter(&["1,2,3", "4,5,6"]), Delimiter::Comma);
        assert_eq!(guess_delimiter(&["1;2;3", "4;5;6"]), Delimiter::Semicolon);
        assert_eq!(guess_delimiter(&["1 2  3", "4 5 6"]), Delimiter::Whitespace);
        assert_eq!(guess_delimiter(&["1|a|x", "2|b|y"]), Delimiter::Pipe);
    }
}
