#!/usr/bin/env bash
# The Rust discipline, checked on every test run: formatting, clippy with warnings as errors, and a
# SAFETY comment before every `unsafe` block. Clippy's undocumented_unsafe_blocks covers what compiles
# natively; simd128.rs compiles only for wasm32 (where this machine has no clippy), so the comment
# check below reads the sources themselves. `#![deny(unsafe_code)]` in both crates keeps unsafe inside
# simd128.rs and memory.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
for tool in rustfmt clippy-driver; do
  command -v "$tool" >/dev/null || { echo "check-rust: $tool is missing (rustup component add ${tool%-driver})" >&2; exit 1; }
done
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
# An `unsafe {` (or `unsafe impl`) whose previous non-blank lines (up to 6) hold no SAFETY comment.
missing=$(awk '
  FNR == 1 { safety = 0 }
  /^[[:space:]]*\/\/ SAFETY:/ { safety = FNR }
  /unsafe[[:space:]]*(\{|impl)/ && !/^[[:space:]]*\/\// && !/SAFETY/ {
    if (!(safety && FNR - safety <= 6)) print FILENAME ":" FNR ": unsafe without a SAFETY comment"
  }
' crates/*/src/*.rs)
if [ -n "$missing" ]; then echo "$missing" >&2; exit 1; fi
echo "check-rust: fmt, clippy and SAFETY comments ok"
