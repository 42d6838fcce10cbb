/*
 * Direct filter gradient of a 2-D convolution, NHWC:
 *   dw[ky][kx][ci][co] = sum over b, oy, ox of
 *       x[b][oy * sh + ky * dh][ox * sw + kx * dwx][ci] * dy[b][oy][ox][co]
 * The caller pads x beforehand so that every tap of every output position
 * is inside it (no bounds checks here). A tap t = (ky, kx, ci) then reads
 * x at a constant offset from the position's base, whatever the position.
 *
 * Vectorised over co. Accumulators for T taps x V co-vectors stay in
 * registers while one block of output positions streams by: per position,
 * V dy vectors and T broadcast x values feed T * V multiply-adds. Blocks are
 * small enough for their dy to stay in L1 across the tap groups. (co < 4
 * wastes lanes, but still beats XNNPACK's swapped convolution as measured.)
 */
#include "common.h"

/*
 * Register blocks: V co-vectors (up to 4) by T taps, with T * V = 8
 * accumulators. Measured in V8 on x64: 8 beats 6, 9 and 12 (with 16 xmm
 * registers, also holding the V dy vectors, a splat and a product).
 */
#define TMAX 4
#define VMAX 4
/*
 * Output positions per block. The loops run co-group by co-group,
 * so L1 must hold one co-group's dy (16 floats, one cache line, per
 * position): 512 positions are 32 KiB. Blocks are as large as that allows,
 * since every block reads and writes all of dw once.
 */
#define BLOCK_POSITIONS 512

#define INLINE static inline __attribute__((always_inline))

/*
 * dw[t0 + t][c0 + 4v ...] += sum over output positions [p0, p1) of
 * x(tap t0 + t) * dy[c0 + 4v ...], for t < T, v < V; the last vector has
 * `lanes` lanes when `partial` (T, V, partial are constants at each call
 * site, so the arrays below become registers). The first block (p0 == 0)
 * writes dw instead of adding to it.
 */
INLINE void accumulate(const int T, const int V, const int partial, int lanes,
                       const float* dy, float* dw, const float* const* base, int p0, int p1,
                       int wn, int c, int co, int kw, int dh, int dwx, int t0, int c0) {
  int off[TMAX]; /* in bytes: saves a shift per load */
  v128_t acc[TMAX][VMAX];
#pragma clang loop unroll(full)
  for (int t = 0; t < T; t++) {
    const int tap = t0 + t, ci = tap % c, k = tap / c;
    off[t] = 4 * (((k / kw) * dh * wn + (k % kw) * dwx) * c + ci);
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++)
      acc[t][v] = p0 == 0 ? wasm_f32x4_splat(0.f)
                  : partial && v == V - 1 ? load_lanes(dw + tap * co + c0 + 4 * v, lanes)
                                          : wasm_v128_load(dw + tap * co + c0 + 4 * v);
  }
  const float* dp = dy + p0 * co + c0;
  for (int p = p0; p < p1; p++, dp += co) {
    const char* xp = (const char*)base[p];
    v128_t d[VMAX];
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++)
      d[v] = partial && v == V - 1 ? load_lanes(dp + 4 * v, lanes) : wasm_v128_load(dp + 4 * v);
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++) {
      const v128_t s = wasm_v128_load32_splat(xp + off[t]);
#pragma clang loop unroll(full)
      for (int v = 0; v < V; v++) acc[t][v] = wasm_f32x4_add(acc[t][v], wasm_f32x4_mul(s, d[v]));
    }
  }
#pragma clang loop unroll(full)
  for (int t = 0; t < T; t++)
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) {
      float* q = dw + (t0 + t) * co + c0 + 4 * v;
      if (partial && v == V - 1) store_lanes(q, acc[t][v], lanes);
      else wasm_v128_store(q, acc[t][v]);
    }
}

/* One call of accumulate with compile-time T, V and partial. */
#define ACC(T, V, P) accumulate(T, V, P, lanes, dy, dw, base, p0, p1, wn, c, co, kw, dh, dwx, t0, c0)
/* Taps [0, taps) in blocks of T, against V co-vectors at c0. */
#define OVER_TAPS(T, V, P)                                    \
  for (int t0 = 0; t0 < taps; t0 += (T)) {                    \
    switch (taps - t0 < (T) ? taps - t0 : (T)) {              \
      case 1: ACC(1, V, P); break;                            \
      case 2: ACC(2, V, P); break;                            \
      case 3: ACC((T) > 2 ? 3 : 2, V, P); break;              \
      default: ACC((T) > 2 ? 4 : 2, V, P); break;             \
    }                                                         \
  }

/*
 * x: [n][hn][wn][c], padded: every tap of every output position is inside.
 * dy: [n][oh][ow][co]. dw: [kh][kw][c][co], overwritten.
 * base: scratch for n * oh * ow pointers (where each position's window starts in x).
 */
EXPORT("filter_grad")
void filter_grad(const float* x, const float* dy, float* dw, const float** base, int n, int hn, int wn, int c,
                 int oh, int ow, int co, int kh, int kw, int sh, int sw, int dh, int dwx) {
  const int taps = kh * kw * c, positions = n * oh * ow;
  if (positions == 0) {
    for (int i = 0; i < taps * co; i++) dw[i] = 0.f;
    return;
  }
  /* A table rather than (b, oy, ox) loops: rows can be very short (1x1 to 3x3 outputs in deep layers). */
  for (int b = 0, p = 0; b < n; b++)
    for (int oy = 0; oy < oh; oy++)
      for (int ox = 0; ox < ow; ox++) base[p++] = x + ((b * hn + oy * sh) * wn + ox * sw) * c;
  const int full = co / 4, rest = co % 4;
  for (int p0 = 0; p0 < positions; p0 += BLOCK_POSITIONS) {
    const int p1 = p0 + BLOCK_POSITIONS < positions ? p0 + BLOCK_POSITIONS : positions;
    int lanes = 4, c0 = 0;
    for (; c0 + 16 <= 4 * full; c0 += 16) OVER_TAPS(2, 4, 0);
    switch (full - c0 / 4) {
      case 3: OVER_TAPS(2, 3, 0); break;
      case 2: OVER_TAPS(4, 2, 0); break;
      case 1: OVER_TAPS(4, 1, 0); break;
    }
    if (rest) {
      lanes = rest;
      c0 = 4 * full;
      OVER_TAPS(4, 1, 1);
    }
  }
}
