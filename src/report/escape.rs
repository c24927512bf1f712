//! Escaping of input-derived text (file names, agent names, messages that
//! quote a config, snippets), one helper per text format. Every string that
//! comes from the checked tree goes through the helper of the format it is
//! written in, so that a hostile file name or agent name can neither drive
//! the terminal (ESC sequences), nor forge a line of its own (a `::error`
//! workflow command in a CI log), nor inject Markdown (an image that phones
//! home). The structured formats escape for themselves: JSON and SARIF by
//! serde, HTML by [`super::html::escape`], JUnit by quick-junit (after
//! `super::junit` replaces what XML 1.0 forbids), GitHub workflow commands
//! by [`super::github`] (GitHub's `%`, CR, LF, and `:`/`,` in properties).

use std::borrow::Cow;
use std::fmt::Write;

/// Characters shown as an escape in terminal and Markdown text: C0 and C1
/// controls and DEL, the Unicode line and paragraph separators, and the
/// bidirectional overrides and isolates that reorder what a reader sees
/// ("Trojan Source").
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// How an escaped character is shown: `\n`, `\r`, `\t`, `\x1b`, `\u{202e}`.
pub(crate) fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Terminal text (the human format and messages on standard error): control
/// characters are shown as escapes, so the text is one line and drives
/// nothing. Borrowed when there is nothing to escape (the usual case).
pub fn human(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A finished human-format text, line by line: a line that a CI runner would
/// take for a workflow command (`::error ...`, or the older `##[error]`,
/// after leading blanks) gets its first character escaped. clawcheck's own
/// lines never start that way; a file or agent name at the start of a line can.
pub fn human_lines(text: String) -> String {
    defuse_lines(text, push_escape)
}

/// `text` with the first character of each line a CI runner would take for
/// a workflow command (`::`, `##[`, after leading blanks) written by
/// `escape`.
fn defuse_lines(text: String, escape: impl Fn(&mut String, char)) -> String {
    let forged = |l: &str| {
        let t = l.trim_start();
        t.starts_with("::") || t.starts_with("##[")
    };
    if !text.lines().any(forged) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        if forged(line) {
            let blank = line.len() - line.trim_start().len();
            out.push_str(&line[..blank]);
            let rest = &line[blank..];
            escape(&mut out, rest.chars().next().unwrap_or(':'));
            out.push_str(&rest[1..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A finished XML or HTML document printed to a CI log (the Action prints
/// its report): a line that a runner would take for a workflow command
/// (`::error ...`, `##[error]`, after leading blanks) gets its first
/// character written as a character reference, which the document reads
/// the same. (Field values carry no line break: [`markup_line`].)
pub fn markup_lines(text: String) -> String {
    defuse_lines(text, |out, c| {
        out.push_str(if c == ':' { "&#58;" } else { "&#35;" })
    })
}

/// A field of an XML document (a file name, a message) on one line: a line
/// break in it is shown as `\n` (`\r`), so that no text of the checked
/// files starts a line of the document.
pub fn markup_line(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace('\n', "\\n").replace('\r', "\\r"))
}

/// Text that starts a line of the human format (a file name): [`human`],
/// and a leading `::` or `##[` escaped, since colour codes may stand before
/// it where [`human_lines`] does not look.
pub fn human_line_start(s: &str) -> String {
    let mut out = human(s).into_owned();
    if out.starts_with("::") || out.starts_with("##[") {
        let mut e = String::new();
        push_escape(&mut e, out.chars().next().unwrap_or(':'));
        out.replace_range(..1, &e);
    }
    out
}

/// A message of several lines for standard error (an error with a source
/// excerpt): like [`human`] but line breaks are kept, and then no line may
/// pass for a workflow command ([`human_lines`]).
pub fn human_multiline(s: &str) -> String {
    let lines: Vec<String> = s.split('\n').map(|l| human(l).into_owned()).collect();
    human_lines(lines.join("\n"))
}

/// Markdown text in a table cell: the characters that start links, images,
/// raw HTML, emphasis or code, and the cell separator, are backslash-escaped;
/// line breaks and other controls are shown as escapes. Text between a pair
/// of backticks stays a code span (messages quote values that way), written
/// with [`markdown_code`]; an unpaired backtick is escaped.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut parts = s.split('`');
    let count = s.matches('`').count();
    let paired = count - count % 2; // backticks that open or close a span
    let mut seen = 0;
    if let Some(first) = parts.next() {
        plain(&mut out, first);
    }
    let mut in_code = false;
    for part in parts {
        seen += 1;
        if seen > paired {
            // the unpaired last backtick: literal
            out.push_str("\\`");
            plain(&mut out, part);
            continue;
        }
        in_code = !in_code;
        if in_code {
            out.push_str(&markdown_code(part));
        } else {
            plain(&mut out, part);
        }
    }
    out
}

fn plain(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' | '[' | ']' | '!' | '<' | '>' | '|' | '*' | '_' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c if needs_escape(c) => {
                // `\\n` renders as the two characters `\n`
                out.push('\\');
                push_escape(out, c);
            }
            c => out.push(c),
        }
    }
}

/// A Markdown code span in a table cell holding `s` literally: fenced with
/// one backtick more than the longest run of backticks inside, `|` escaped
/// for the table (GitHub removes the backslash inside code spans too), line
/// breaks and controls shown as escapes.
pub fn markdown_code(s: &str) -> String {
    let mut body = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '|' => body.push_str("\\|"),
            c if needs_escape(c) => push_escape(&mut body, c),
            c => body.push(c),
        }
    }
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space inside the fence when the content starts or ends with a
    // backtick (CommonMark strips one space on each side).
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_shows_controls_as_escapes() {
        assert_eq!(human("plain `x`"), "plain `x`");
        assert!(matches!(human("plain"), Cow::Borrowed(_)));
        assert_eq!(
            human("a\x1b[31mb\n::error::x\r\t\u{7f}"),
            "a\\x1b[31mb\\n::error::x\\r\\t\\x7f"
        );
        assert_eq!(human("\u{202e}gnp.exe\u{9b}"), "\\u{202e}gnp.exe\\u{9b}");
    }

    #[test]
    fn human_lines_defuse_workflow_commands() {
        let t = "ok\n::error file=a::x: y\n  ##[error]z\n".to_string();
        assert_eq!(
            human_lines(t),
            "ok\n\\x3a:error file=a::x: y\n  \\x23#[error]z\n"
        );
        let t = "a ::b\n".to_string();
        assert_eq!(human_lines(t.clone()), t);
    }

    #[test]
    fn markdown_escapes_markup_and_keeps_code_spans() {
        assert_eq!(
            markdown_text("agent `ops` has `timeout: 0`, (limit ~7 days)"),
            "agent `ops` has `timeout: 0`, (limit ~7 days)"
        );
        assert_eq!(
            markdown_text("agent `x` ![i](http://e/p.png) <img> a|b\r\nc"),
            "agent `x` \\!\\[i\\](http://e/p.png) \\<img\\> a\\|b\\\\r\\\\nc"
        );
        // an agent name with a backtick cannot close the span early
        assert_eq!(
            markdown_text("agent `a`![i](u)`b` x"),
            "agent `a`\\!\\[i\\](u)`b` x"
        );
        assert_eq!(markdown_text("odd ` tick"), "odd \\` tick");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("p|q\n"), "`p\\|q\\n`");
    }
}
