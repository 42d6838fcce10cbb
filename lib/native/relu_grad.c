#include "common.h"

/*
 * Relu's gradient as tfjs computes it, dy * step(x), in one pass:
 * step(x) = 1 where x > 0, 0 where x <= 0, NaN where x is NaN. Multiplying
 * (rather than masking) keeps tfjs's results for infinite or NaN dy too.
 */
static inline v128_t grad4(const float* dy, const float* x) {
  const v128_t xv = wasm_v128_load(x);
  /* 1.0f is 0x3f800000: keep those bits where x > 0, all of x where x is NaN. */
  const v128_t keep = wasm_v128_or(wasm_v128_and(wasm_f32x4_gt(xv, wasm_f32x4_splat(0.f)), wasm_i32x4_splat(0x3f800000)),
                                   wasm_v128_and(wasm_f32x4_ne(xv, xv), xv));
  return wasm_f32x4_mul(wasm_v128_load(dy), keep);
}

EXPORT("relu_grad")
void relu_grad(const float* dy, const float* x, float* dx, int count) {
  int i = 0;
  /* Unrolled: V8 runs a single-vector loop at about half speed. */
  for (; i + 16 <= count; i += 16) {
    const v128_t a = grad4(dy + i, x + i), b = grad4(dy + i + 4, x + i + 4);
    const v128_t c = grad4(dy + i + 8, x + i + 8), d = grad4(dy + i + 12, x + i + 12);
    wasm_v128_store(dx + i, a);
    wasm_v128_store(dx + i + 4, b);
    wasm_v128_store(dx + i + 8, c);
    wasm_v128_store(dx + i + 12, d);
  }
  for (; i + 4 <= count; i += 4) wasm_v128_store(dx + i, grad4(dy + i, x + i));
  for (; i < count; i++) {
    const float xi = x[i];
    dx[i] = dy[i] * (xi != xi ? xi : xi > 0.f ? 1.f : 0.f);
  }
}
