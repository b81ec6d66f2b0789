//! Turns every ```rust block of the README into a module of the `readme`
//! test, so a snippet that stops compiling fails the build: the README's
//! code cannot drift from the crate.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time, not with env!(): a build script compiled in another
    // checkout (a copied target/) must still read this checkout's README.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let readme = Path::new(&manifest).join("../README.md");
    println!("cargo:rerun-if-changed={}", readme.display());
    let text = std::fs::read_to_string(&readme).expect("README.md is readable");
    let mut out = String::new();
    let mut snippets = 0;
    let mut lines = text.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        if line.trim_end() != "```rust" {
            continue;
        }
        let code: Vec<&str> = lines
            .by_ref()
            .map(|(_, line)| line)
            .take_while(|line| line.trim_end() != "```")
            .collect();
        // Each snippet is the body of an async fn given what the README's
        // prose assumes (`db`, a `user`, ...); items it defines shadow the
        // prelude's.
        let _ = write!(
            out,
            "/// README.md line {line}.\n\
             #[allow(unused, dead_code, unnameable_test_items, clippy::all)]\n\
             mod snippet_{snippets} {{\n\
             use crate::prelude::*;\n\
             async fn run(db: Client, user: User, users: Vec<User>, cursor: String) \
             -> Result<(), Box<dyn std::error::Error>> {{\n{code}\nOk(())\n}}\n}}\n",
            line = number + 1,
            code = code.join("\n"),
        );
        snippets += 1;
    }
    let _ = writeln!(out, "pub const SNIPPETS: usize = {snippets};");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&dir).join("readme_snippets.rs"), out).expect("OUT_DIR is writable");
}
