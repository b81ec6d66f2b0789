//! Misuse of the derives is a compile error pointing at the offending token.
//! Each case in `ui/` has its expected compiler output in a `.stderr` file;
//! regenerate with `TRYBUILD=overwrite cargo test -p dynamo-model-derive --test ui`
//! and review the diff.

#[test]
fn misuse_is_a_spanned_compile_error() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
