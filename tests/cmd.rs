//! CLI cases as files: `tests/cmd/NAME.toml` holds the arguments and the exit
//! code, `NAME.stdout` and `NAME.stderr` what the command prints (trycmd;
//! `...` on a line of its own and `[..]` in a line elide what may change).
//! After a deliberate change, `TRYCMD=overwrite cargo test --test cmd`
//! rewrites the outputs: review the diff.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
