/*
 * Matrix product C = A B (+ bias, then optionally relu), row-major float32:
 * A [m][k], B [k][n], C [m][n], over a batch with element strides between
 * matrices (0 broadcasts one matrix to the whole batch).
 *
 * B is read in place, contiguous along n: XNNPACK packs B for every new B
 * tensor, which dominates when B is large and new every call (a dense
 * layer's weights while training). Without packing, rows of B 4 KiB apart
 * (n a multiple of 1024) share cache sets: the caller leaves large such
 * products to XNNPACK. Vectorised over n: a register block of R rows of
 * A by V vectors of C keeps R * V accumulators in registers while k runs;
 * per k, V loads of B and R broadcasts of A feed R * V multiply-adds.
 */
#include "common.h"

#define INLINE static inline __attribute__((always_inline))

/*
 * Register block: GEMM_R rows by GEMM_V vectors, 8 accumulators. Measured in
 * V8 on x64 ([32,1600]x[1600,128], ~28 G multiply-adds/s): 4x2 and 2x4 beat
 * 2x2, 4x1, 3x3, 4x3, 3x4, 5x2, 6x2 and 8x1 (V8 has 16 xmm registers, which
 * also hold the B vectors, a broadcast and a product).
 * Cache blocks: GEMM_KC values of k at a time, so the strip of B under a
 * column block stays near while GEMM_MC rows of A go by (C is reloaded per
 * k block); the sizes barely mattered (KC 128-512, MC 32-all).
 */
#define GEMM_R 4
#define GEMM_V 2
#define GEMM_MC 64
#define GEMM_KC 256

/*
 * C[i][j0 + 4v ...] for R rows from a, V vectors from column j0; the last
 * vector has `lanes` lanes when `partial`. R, V and partial are constants
 * at each call site, so the arrays become registers. Adds the products over
 * k0 <= kk < k1 to C (or to the bias, or to 0 when k0 == 0); applies relu
 * on the last k block.
 */
INLINE void block(const int R, const int V, const int partial, int lanes, const float* a, const float* b, float* c,
                  const float* bias, int k, int n, int k0, int k1, int relu) {
  v128_t acc[GEMM_R][GEMM_V];
#pragma clang loop unroll(full)
  for (int v = 0; v < V; v++) {
    const int last = partial && v == V - 1;
    v128_t init = wasm_f32x4_splat(0.f);
    if (k0 == 0 && bias) init = last ? load_lanes(bias + 4 * v, lanes) : wasm_v128_load(bias + 4 * v);
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++)
      acc[r][v] = k0 != 0 ? (last ? load_lanes(c + r * n + 4 * v, lanes) : wasm_v128_load(c + r * n + 4 * v)) : init;
  }
  const float* ap = a + k0;
  const float* bp = b + k0 * n;
  for (int kk = k0; kk < k1; kk++, ap++, bp += n) {
    v128_t bv[GEMM_V];
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) bv[v] = partial && v == V - 1 ? load_lanes(bp + 4 * v, lanes) : wasm_v128_load(bp + 4 * v);
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      const v128_t s = wasm_v128_load32_splat(ap + r * k);
#pragma clang loop unroll(full)
      for (int v = 0; v < V; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(s, bv[v]));
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) {
      v128_t x = acc[r][v];
      /* x < 0 ? 0 : x, as tfjs's relu: NaN stays NaN. */
      if (relu && k1 == k) x = wasm_f32x4_pmax(x, wasm_f32x4_splat(0.f));
      float* q = c + r * n + 4 * v;
      if (partial && v == V - 1) store_lanes(q, x, lanes);
      else wasm_v128_store(q, x);
    }
}

#define BLOCK(R, V, P) block(R, V, P, lanes, a + i * k, b + j0, c + i * n + j0, bias ? bias + j0 : 0, k, n, k0, k1, relu)
/* Rows [i0, i1), in blocks of GEMM_R (then 1-3 left), against V vectors at column j0. */
#define OVER_ROWS(V, P)                                          \
  {                                                              \
    int i = i0;                                                  \
    for (; i + GEMM_R <= i1; i += GEMM_R) BLOCK(GEMM_R, V, P);   \
    switch (i1 - i) {                                            \
      case 1: BLOCK(1, V, P); break;                             \
      case 2: BLOCK(2, V, P); break;                             \
      case 3: BLOCK(3, V, P); break;                             \
    }                                                            \
  }

/* One matrix: C = A B (+ bias) (then relu). */
static void product(const float* a, const float* b, float* c, const float* bias, int m, int k, int n, int relu) {
  if (k == 0) {
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        const float x = bias ? bias[j] : 0.f;
        c[i * n + j] = relu && x < 0.f ? 0.f : x;
      }
    return;
  }
  const int full = n / 4, rest = n % 4;
  for (int k0 = 0; k0 < k; k0 += GEMM_KC)
    for (int i0 = 0; i0 < m; i0 += GEMM_MC) {
      const int k1 = k0 + GEMM_KC < k ? k0 + GEMM_KC : k;
      const int i1 = i0 + GEMM_MC < m ? i0 + GEMM_MC : m;
      int lanes = 4, j0 = 0;
      for (; j0 + 4 * GEMM_V <= 4 * full; j0 += 4 * GEMM_V) OVER_ROWS(GEMM_V, 0);
      if (j0 < 4 * full) OVER_ROWS(1, 0); /* one whole vector left (GEMM_V == 2) */
      if (rest) {
        lanes = rest;
        j0 = 4 * full;
        OVER_ROWS(1, 1);
      }
    }
}

/*
 * a: [batch][m][k] (stride_a floats between matrices, 0: the same A for all),
 * b: [batch][k][n] (stride_b likewise), c: [batch][m][n], written.
 * bias: [n] or 0 (none); relu: 1 applies x < 0 ? 0 : x after the bias.
 */
EXPORT("gemm")
void gemm(const float* a, const float* b, float* c, const float* bias, int batch, int m, int k, int n, int stride_a,
          int stride_b, int relu) {
  for (int i = 0; i < batch; i++) product(a + i * stride_a, b + i * stride_b, c + i * m * n, bias, m, k, n, relu);
}
