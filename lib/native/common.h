/*
 * Shared by mnist-lab's wasm kernels. They run inside tfjs's own wasm memory
 * (imported), on buffers tfjs allocated, so they must own nothing there:
 * no static data, no stack frames in memory (build.sh checks the binary has
 * no data segment). Scratch space is passed in by the caller.
 */
#ifndef MNIST_LAB_COMMON_H
#define MNIST_LAB_COMMON_H
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

/* The first `lanes` (1-3) floats at p, zeros after. */
static inline v128_t load_lanes(const float* p, int lanes) {
  return wasm_f32x4_make(p[0], lanes > 1 ? p[1] : 0.f, lanes > 2 ? p[2] : 0.f, 0.f);
}

static inline void store_lanes(float* p, v128_t v, int lanes) {
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (lanes > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (lanes > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

static inline v128_t load_n(const float* p, int lanes) {
  return lanes == 4 ? wasm_v128_load(p) : load_lanes(p, lanes);
}

static inline void store_n(float* p, v128_t v, int lanes) {
  if (lanes == 4) wasm_v128_store(p, v);
  else store_lanes(p, v, lanes);
}

#endif
