#!/usr/bin/env bash
# Proves what the wasm builds contain, from their disassembly (wabt's wasm-objdump): the simd build
# runs f32x4 arithmetic with v128 loads and stores, the scalar build has no SIMD instruction at all,
# and neither uses relaxed-SIMD (its fused multiply-add is not deterministic across machines).
# (rapier.js once shipped "simd" builds without SIMD in them: see STYLE.md.)
set -euo pipefail
simd="$1"; scalar="$2"
count() { wasm-objdump -d "$1" | grep -cE "$2" || true; }
arith=$(count "$simd" 'f32x4\.(add|sub|mul|div|sqrt)')
loads=$(count "$simd" 'v128\.load')
if [ "$arith" -lt 20 ] || [ "$loads" -lt 10 ]; then
  echo "check-simd: $simd has only $arith f32x4 arithmetic instructions and $loads v128 loads" >&2; exit 1
fi
if [ "$(count "$scalar" '(f32x4|v128|i32x4)\.')" -ne 0 ]; then
  echo "check-simd: $scalar contains SIMD instructions" >&2; exit 1
fi
if [ "$(count "$simd" 'relaxed')" -ne 0 ]; then
  echo "check-simd: $simd uses relaxed SIMD" >&2; exit 1
fi
echo "check-simd: simd build has $arith f32x4 arithmetic instructions and $loads v128 loads; scalar build has none"
