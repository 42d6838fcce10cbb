#!/usr/bin/env bash
# Builds mnist-lab's wasm kernels from the C files here, twice: for tfjs's
# plain wasm build (memory not shared) and its threaded build (shared
# memory). Needs clang and wasm-ld (Debian: apt-get install clang lld).
# The .wasm files are committed, so users need no C toolchain; a test
# rebuilds them and checks they match these sources.
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-.}"
flags=(--target=wasm32 -O3 -msimd128 -nostdlib -ffreestanding -fno-builtin -Wall -Werror
       -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all)
sources=(*.c)
clang "${flags[@]}" -o "$out/kernels.wasm" "${sources[@]}"
clang "${flags[@]}" -matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -o "$out/kernels-shared.wasm" "${sources[@]}"
# Our code runs in tfjs's memory: a data segment would overwrite tfjs's heap.
for f in "$out/kernels.wasm" "$out/kernels-shared.wasm"; do
  if wasm-objdump -h "$f" | grep -q '^ *Data '; then echo "$f has a data segment" >&2; exit 1; fi
  if wasm-objdump -d "$f" | grep -q 'global\.'; then echo "$f uses a global (a stack in tfjs's memory)" >&2; exit 1; fi
done
