/*
 * Winograd tile transforms for 3x3 convolutions, F(m x m, 3 x 3) for m = 2
 * and 4 (Lavin & Gray 2015), vectorised over channels. The products between
 * transforms are XNNPACK matrix products run by tfjs, one per component xi.
 *
 * Layouts: images are NHWC; a "plane" tensor is [xi][tile][channel] with
 * tile = (b * tiles_h + ty) * tiles_w + tx; a filter [3][3][ci][co] is an
 * image of one 3x3 tile with ci * co channels.
 *
 * The matrices are compile-time constants: with the loops fully unrolled,
 * clang folds every coefficient (zeros vanish, +-1 become adds), and the
 * arrays themselves never reach the binary (build.sh checks there is no
 * data segment, which would land in tfjs's heap).
 */
#include "common.h"

static const float F2_BT[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
static const float F2_B[4][4] = {{1, 0, 0, 0}, {0, 1, -1, 1}, {-1, 1, 1, 0}, {0, 0, 0, -1}};
static const float F2_G[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
static const float F2_GT[3][4] = {{1, 0.5f, 0.5f, 0}, {0, 0.5f, -0.5f, 0}, {0, 0.5f, 0.5f, 1}};
static const float F2_AT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
static const float F2_A[4][2] = {{1, 0}, {1, 1}, {1, -1}, {0, -1}};

static const float F4_BT[6][6] = {
    {4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
    {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
static const float F4_B[6][6] = {
    {4, 0, 0, 0, 0, 0}, {0, -4, 4, -2, 2, 4}, {-5, -4, -4, -1, -1, 0},
    {0, 1, -1, 2, -2, -5}, {1, 1, 1, 1, 1, 0}, {0, 0, 0, 0, 0, 1}};
static const float F4_G[6][3] = {
    {1.f / 4, 0, 0}, {-1.f / 6, -1.f / 6, -1.f / 6}, {-1.f / 6, 1.f / 6, -1.f / 6},
    {1.f / 24, 1.f / 12, 1.f / 6}, {1.f / 24, -1.f / 12, 1.f / 6}, {0, 0, 1}};
static const float F4_GT[3][6] = {
    {1.f / 4, -1.f / 6, -1.f / 6, 1.f / 24, 1.f / 24, 0},
    {0, -1.f / 6, 1.f / 6, 1.f / 12, -1.f / 12, 0},
    {0, -1.f / 6, -1.f / 6, 1.f / 6, 1.f / 6, 1}};
static const float F4_AT[4][6] = {
    {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
static const float F4_A[6][4] = {{1, 0, 0, 0}, {1, 1, 1, 1}, {1, -1, 1, -1}, {1, 2, 4, 8}, {1, -2, 4, -8}, {0, 0, 0, 1}};

/* out[i * os] = sum_k M[i][k] in[k * is], unrolled so the coefficients fold. */
#define APPLY(M, ROWS, COLS, in, is, out, os)                                              \
  do {                                                                                     \
    _Pragma("clang loop unroll(full)") for (int i_ = 0; i_ < (ROWS); i_++) {              \
      v128_t acc_ = wasm_f32x4_splat(0.f);                                                 \
      int empty_ = 1;                                                                      \
      _Pragma("clang loop unroll(full)") for (int k_ = 0; k_ < (COLS); k_++) {            \
        const float coef_ = (M)[i_][k_];                                                   \
        if (coef_ == 0.f) continue;                                                        \
        const v128_t x_ = (in)[k_ * (is)];                                                 \
        if (coef_ == 1.f) acc_ = empty_ ? x_ : wasm_f32x4_add(acc_, x_);                   \
        else if (coef_ == -1.f) acc_ = empty_ ? wasm_f32x4_neg(x_) : wasm_f32x4_sub(acc_, x_); \
        else {                                                                             \
          const v128_t p_ = wasm_f32x4_mul(wasm_f32x4_splat(coef_), x_);                   \
          acc_ = empty_ ? p_ : wasm_f32x4_add(acc_, p_);                                   \
        }                                                                                  \
        empty_ = 0;                                                                        \
      }                                                                                    \
      (out)[i_ * (os)] = acc_;                                                             \
    }                                                                                      \
  } while (0)

/*
 * name(src, dst, ...): for every tile and channel, the S x S window of src
 * at (ty * step - top, tx * step - left) (zeros outside), d, becomes
 * M d M^T (R x R, M is R x S), written to dst[i * R + j][tile][channel];
 * planes are `stride` floats apart (padded by the caller: strides that are a
 * multiple of 4 KiB make the R * R store streams collide in the L1 cache).
 */
#define GATHER(name, M, S, R)                                                                          \
  EXPORT(#name)                                                                                        \
  void name(const float* src, float* dst, int stride, int n, int h, int w, int c, int tiles_h,        \
            int tiles_w, int step, int top, int left) {                                                \
    for (int b = 0; b < n; b++)                                                                        \
      for (int ty = 0; ty < tiles_h; ty++)                                                             \
        for (int tx = 0; tx < tiles_w; tx++) {                                                         \
          const int tile = (b * tiles_h + ty) * tiles_w + tx;                                          \
          const int y0 = ty * step - top, x0 = tx * step - left;                                       \
          const int inside = y0 >= 0 && y0 + (S) <= h && x0 >= 0 && x0 + (S) <= w;                     \
          for (int ch = 0; ch < c; ch += 4) {                                                          \
            const int lanes = c - ch < 4 ? c - ch : 4;                                                 \
            v128_t d[(S) * (S)], t[(R) * (S)], u[(R) * (R)];                                           \
            _Pragma("clang loop unroll(full)") for (int k = 0; k < (S); k++)                           \
              _Pragma("clang loop unroll(full)") for (int l = 0; l < (S); l++) {                       \
                const int y = y0 + k, x = x0 + l;                                                      \
                const float* p = src + ((b * h + y) * w + x) * c + ch;                                 \
                d[k * (S) + l] = inside && lanes == 4 ? wasm_v128_load(p)                              \
                                 : (y >= 0 && y < h && x >= 0 && x < w) ? load_n(p, lanes)             \
                                                                        : wasm_f32x4_splat(0.f);       \
              }                                                                                        \
            _Pragma("clang loop unroll(full)") for (int l = 0; l < (S); l++)                           \
              APPLY(M, R, S, d + l, S, t + l, S);                                                      \
            _Pragma("clang loop unroll(full)") for (int i = 0; i < (R); i++)                           \
              APPLY(M, R, S, t + i * (S), 1, u + i * (R), 1);                                          \
            _Pragma("clang loop unroll(full)") for (int k = 0; k < (R) * (R); k++)                     \
              store_n(dst + k * stride + tile * c + ch, u[k], lanes);                                   \
          }                                                                                            \
        }                                                                                              \
  }

/*
 * name(planes, dst, ...): the reverse. For every tile and channel, X[i][j] =
 * planes[i * R + j][tile][channel] becomes M X M^T (Q x Q, M is Q x R),
 * written (or added, when accumulate) to dst at (ty * step - top + i,
 * tx * step - left + j), cropped to the image.
 */
#define SCATTER(name, M, R, Q)                                                                         \
  EXPORT(#name)                                                                                        \
  void name(const float* const* planes, float* dst, int n, int h, int w, int c, int tiles_h,           \
            int tiles_w, int step, int top, int left, int accumulate) {                                \
    for (int b = 0; b < n; b++)                                                                        \
      for (int ty = 0; ty < tiles_h; ty++)                                                             \
        for (int tx = 0; tx < tiles_w; tx++) {                                                         \
          const int tile = (b * tiles_h + ty) * tiles_w + tx;                                          \
          const int y0 = ty * step - top, x0 = tx * step - left;                                       \
          for (int ch = 0; ch < c; ch += 4) {                                                          \
            const int lanes = c - ch < 4 ? c - ch : 4;                                                 \
            v128_t x[(R) * (R)], t[(Q) * (R)], o[(Q) * (Q)];                                           \
            _Pragma("clang loop unroll(full)") for (int k = 0; k < (R) * (R); k++)                     \
              x[k] = load_n(planes[k] + tile * c + ch, lanes);                                         \
            _Pragma("clang loop unroll(full)") for (int l = 0; l < (R); l++)                           \
              APPLY(M, Q, R, x + l, R, t + l, R);                                                      \
            _Pragma("clang loop unroll(full)") for (int i = 0; i < (Q); i++)                           \
              APPLY(M, Q, R, t + i * (R), 1, o + i * (Q), 1);                                          \
            _Pragma("clang loop unroll(full)") for (int i = 0; i < (Q); i++)                           \
              _Pragma("clang loop unroll(full)") for (int j = 0; j < (Q); j++) {                       \
                const int y = y0 + i, xx = x0 + j;                                                     \
                if (y < 0 || y >= h || xx < 0 || xx >= w) continue;                                    \
                float* out = dst + ((b * h + y) * w + xx) * c + ch;                                    \
                store_n(out, accumulate ? wasm_f32x4_add(o[i * (Q) + j], load_n(out, lanes))           \
                                        : o[i * (Q) + j], lanes);                                      \
              }                                                                                        \
          }                                                                                            \
        }                                                                                              \
  }

/* B^T d B of input tiles, A dy A^T of gradient tiles, G g G^T of the filter. */
GATHER(wino2_input, F2_BT, 4, 4)
GATHER(wino2_gradient, F2_A, 2, 4)
GATHER(wino2_filter, F2_G, 3, 4)
GATHER(wino4_input, F4_BT, 6, 6)
GATHER(wino4_gradient, F4_A, 4, 6)
GATHER(wino4_filter, F4_G, 3, 6)

/* A^T M A to output tiles, B M B^T back onto input tiles (they overlap: accumulate), G^T M G to the filter. */
SCATTER(wino2_output, F2_AT, 4, 2)
SCATTER(wino2_input_adjoint, F2_B, 4, 4)
SCATTER(wino2_filter_adjoint, F2_GT, 4, 3)
SCATTER(wino4_output, F4_AT, 6, 4)
SCATTER(wino4_input_adjoint, F4_B, 6, 6)
SCATTER(wino4_filter_adjoint, F4_GT, 6, 3)
