//! OC327: Discord bot tokens: base64 of the bot's numeric id, `.`, 6 characters, `.`, 27–38 characters, on a line that names Discord.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

fn tok(c: u8) -> bool {
    is_urlsafe(c) || c == b'.'
}

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, tok, (59, 72), |v| {
        let p: Vec<&[u8]> = v.split(|&c| c == b'.').collect();
        if p.len() != 3
            || !(23..=28).contains(&p[0].len())
            || p[1].len() != 6
            || !(27..=38).contains(&p[2].len())
        {
            return false;
        }
        let mut id = Vec::new();
        super::b64_decode(p[0], &mut id)
            && (17..=20).contains(&id.len())
            && id.iter().all(u8::is_ascii_digit)
            && body_ok(p[2], 3.5)
    });
}
