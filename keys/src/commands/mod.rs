//! One module per command. Each takes a [`Ctx`] and prints its results on stdout;
//! failures travel up as [`crate::error::Failure`] and `main` prints them.

pub mod export;
pub mod import;
pub mod init;
pub mod list;
pub mod reply;
pub mod show;

use crate::lang::Lang;
use crate::secrets::Paths;

/// What every command gets: where the keys live and which language to speak.
pub struct Ctx {
    pub paths: Paths,
    pub lang: Lang,
}

/// Text from a reporter, made safe to print on a terminal: control characters
/// (escape sequences could rewrite the screen) become U+FFFD; newlines and tabs stay.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn printable_strips_escapes() {
        assert_eq!(
            super::printable("a\u{1b}[2Jb\nc\td\r"),
            "a\u{fffd}[2Jb\nc\td\u{fffd}"
        );
    }
}
