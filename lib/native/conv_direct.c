/*
 * Direct 2-D convolution, NHWC, for filters with few taps (kh * kw * ci),
 * where XNNPACK's packed products run at ~10 G multiply-adds/s:
 *   y[p][co] = act(bias[co] + sum over taps t of x(p, t) * w[t][co])
 * The caller pads x beforehand so that every tap of every output position p
 * is inside it (no bounds checks here): tap t = (ky, kx, ci) then reads x at
 * a constant offset from the position's base, whatever the position.
 *
 * Vectorised over co. Accumulators for P positions x V co-vectors stay in
 * registers while the taps stream by: per tap, V weight vectors and P
 * broadcast x values feed P * V multiply-adds, and y is written once.
 */
#include "common.h"

#define PMAX 8
#define VMAX 4
/*
 * Output positions per block: the loops run co-group by co-group over a
 * block, so the block's x windows and y rows stay in cache between groups.
 */
#define BLOCK_POSITIONS 256

#define INLINE static inline __attribute__((always_inline))

/*
 * y[p0 + i][c0 + 4v ...] for i < P, v < V (compile-time constants at each
 * call site, so the arrays become registers). The last vector stores only
 * `lanes` lanes (w and bias are padded to whole vectors, y is not).
 */
INLINE void block(const int P, const int V, const float* const* base, const int* off, int taps, const float* w,
                  int co4, const float* bias, int relu, float* y, int co, int p0, int c0, int lanes) {
  v128_t acc[PMAX][VMAX];
  const char* xb[PMAX];
#pragma clang loop unroll(full)
  for (int i = 0; i < P; i++) {
    xb[i] = (const char*)base[p0 + i];
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) acc[i][v] = wasm_f32x4_splat(0.f);
  }
  const float* wp = w + c0;
  for (int t = 0; t < taps; t++, wp += co4) {
    const int o = off[t];
    v128_t wv[VMAX];
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) wv[v] = wasm_v128_load(wp + 4 * v);
#pragma clang loop unroll(full)
    for (int i = 0; i < P; i++) {
      const v128_t s = wasm_v128_load32_splat(xb[i] + o);
#pragma clang loop unroll(full)
      for (int v = 0; v < V; v++) acc[i][v] = wasm_f32x4_add(acc[i][v], wasm_f32x4_mul(s, wv[v]));
    }
  }
  /* Bias after the sum and relu as cpu does (x < 0 ? 0 : x, so NaN stays NaN: pmax, not max). */
  v128_t b[VMAX];
#pragma clang loop unroll(full)
  for (int v = 0; v < V; v++) b[v] = bias ? wasm_v128_load(bias + c0 + 4 * v) : wasm_f32x4_splat(0.f);
#pragma clang loop unroll(full)
  for (int i = 0; i < P; i++) {
    float* q = y + (p0 + i) * co + c0;
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) {
      v128_t r = acc[i][v];
      if (bias) r = wasm_f32x4_add(r, b[v]);
      if (relu) r = wasm_f32x4_pmax(r, wasm_f32x4_splat(0.f));
      if (v == V - 1) store_n(q + 4 * v, r, lanes);
      else wasm_v128_store(q + 4 * v, r);
    }
  }
}

/* Positions [p0, p1) against V co-vectors at c0: blocks of P, then one at a time. */
#define OVER_POSITIONS(P, V)                                                                       \
  do {                                                                                             \
    int p = p0;                                                                                    \
    for (; p + (P) <= p1; p += (P)) block(P, V, base, off, taps, w, co4, bias, relu, y, co, p, c0, lanes); \
    for (; p < p1; p++) block(1, V, base, off, taps, w, co4, bias, relu, y, co, p, c0, lanes);     \
  } while (0)

/*
 * x: [n][hn][wn][c], padded: every tap of every output position is inside.
 * w: [kh * kw * c][co4], co4 = co rounded up to a multiple of 4 (extra columns
 * are never stored). bias: [co4] or 0 (none). y: [n][oh][ow][co].
 * relu: 1 applies max(0, .). scratch: n * oh * ow + kh * kw * c ints.
 */
EXPORT("conv_direct")
void conv_direct(const float* x, const float* w, const float* bias, float* y, void* scratch, int n, int hn, int wn,
                 int c, int oh, int ow, int co, int co4, int kh, int kw, int sh, int sw, int dh, int dwx, int relu) {
  const int taps = kh * kw * c, positions = n * oh * ow;
  const float** base = (const float**)scratch;
  int* off = (int*)scratch + positions; /* in bytes: saves a shift per load */
  /* A table rather than (b, oy, ox) loops: rows can be very short (1x1 to 3x3 outputs in deep layers). */
  for (int b = 0, p = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) base[p++] = x + ((b * hn + oy * sh) * wn + ox * sw) * c;
  for (int ky = 0, t = 0; ky < kh; ky++)
    for (int kx = 0; kx < kw; kx++)
      for (int ci = 0; ci < c; ci++) off[t++] = 4 * ((ky * dh * wn + kx * dwx) * c + ci);
  const int full = co / 4, rest = co % 4;
  const int vectors = full + (rest ? 1 : 0);
  for (int p0 = 0; p0 < positions; p0 += BLOCK_POSITIONS) {
    const int p1 = p0 + BLOCK_POSITIONS < positions ? p0 + BLOCK_POSITIONS : positions;
    for (int c0 = 0; c0 < 4 * vectors; c0 += 16) {
      const int left = vectors - c0 / 4;
      /* Only the last group can end in a partial vector. */
      const int lanes = left <= 4 && rest ? rest : 4;
      switch (left < 4 ? left : 4) {
        /* P * V = 6 to 8 accumulators: measured in V8 on x64, 2 x 4 beats 3 x 4, 1 x 4 and 4 x 4 by 30%. */
        case 4: OVER_POSITIONS(2, 4); break;
        case 3: OVER_POSITIONS(2, 3); break;
        case 2: OVER_POSITIONS(4, 2); break;
        default: OVER_POSITIONS(8, 1); break;
      }
    }
  }
}

/* p[0..count) = 0 */
INLINE void zero(float* p, int count) {
  int i = 0;
  for (; i + 4 <= count; i += 4) wasm_v128_store(p + i, wasm_f32x4_splat(0.f));
  for (; i < count; i++) p[i] = 0.f;
}

/*
 * out [n][hn][wn][c] = x [n][h][w][c] placed at row `top`, column `left`,
 * zeros around it (hn >= top + h, wn >= left + w). tfjs's PadV2 takes
 * ~0.33 ms whatever the size (measured on [32,28,28,1]); this takes ~26 us.
 */
EXPORT("pad_nhwc")
void pad_nhwc(const float* x, float* out, int n, int h, int w, int c, int hn, int wn, int top, int left) {
  const int row = w * c, rowOut = wn * c, before = left * c, after = rowOut - row - before;
  for (int b = 0; b < n; b++) {
    zero(out, top * rowOut);
    out += top * rowOut;
    for (int y = 0; y < h; y++, x += row, out += rowOut) {
      zero(out, before);
      int i = 0;
      for (; i + 4 <= row; i += 4) wasm_v128_store(out + before + i, wasm_v128_load(x + i));
      for (; i < row; i++) out[before + i] = x[i];
      zero(out + before + row, after);
    }
    zero(out, (hn - top - h) * rowOut);
    out += (hn - top - h) * rowOut;
  }
}
