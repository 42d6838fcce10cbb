#include "common.h"

/* p[0..count) = value */
EXPORT("fill")
void fill(float* p, int count, float value) {
  const v128_t v = wasm_f32x4_splat(value);
  int i = 0;
  for (; i + 4 <= count; i += 4) wasm_v128_store(p + i, v);
  for (; i < count; i++) p[i] = value;
}
