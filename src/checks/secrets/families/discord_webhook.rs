//! OC336: Discord webhook URLs, `https://discord.com/api/webhooks/<id>/<token>` (also `discordapp.com`, `ptb.` and `canary.`).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

/// Hosts that serve Discord's webhook API.
const HOSTS: &[&[u8]] = &[
    b"://discord.com",
    b"://discordapp.com",
    b"://ptb.discord.com",
    b"://canary.discord.com",
];

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    let Some(host) = HOSTS.iter().find(|host| b[..h.s].ends_with(host)) else {
        return;
    };
    // `https` / `http` before the `://`
    let mut start = h.s - host.len();
    while start > 0 && b[start - 1].is_ascii_alphabetic() && h.s - host.len() - start < 5 {
        start -= 1;
    }
    let run = |from: usize, ok: fn(u8) -> bool, cap: usize| {
        let hi = (from + cap).min(b.len());
        let mut i = from;
        while i < hi && ok(b[i]) {
            i += 1;
        }
        i
    };
    let id_end = run(h.e, |c| c.is_ascii_digit(), 24);
    if !(17..=20).contains(&(id_end - h.e)) || byte_at(b, id_end) != b'/' {
        return;
    }
    let tok_end = run(id_end + 1, is_urlsafe, 80);
    let token = &b[id_end + 1..tok_end];
    if !(60..=72).contains(&token.len()) || is_urlsafe(byte_at(b, tok_end)) {
        return;
    }
    if body_ok(token, 4.0) {
        h.push(out, start, tok_end);
    }
}
