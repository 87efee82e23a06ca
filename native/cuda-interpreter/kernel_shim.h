// Makes kernels/**/*.cu compile as C++ for the interpreter, unchanged: the CUDA built-ins
// (threadIdx, __syncthreads, the warp shuffles, __shared__, the device math functions the kernels
// use) on top of the DeviceApi that the interpreter's driver hands the kernel library. Each CUDA
// thread is a fiber of the driver's scheduler; threadIdx and friends are read from the view the
// scheduler rewrites at every switch. Blocks run one at a time on the launching thread, so a
// block's __shared__ arrays are that thread's thread_local arrays.
#pragma once
#include "interpreter_abi.h"

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <math.h>
#include <type_traits>

// CUDA declares these in the global namespace
using std::abs;
using std::isfinite;
using std::isinf;
using std::isnan;
using std::signbit;

// Set once by the kernel library's registration (kernel_library.cpp).
extern const interp::DeviceApi* interp_api;
// The running CUDA thread's indices (kernel_library.cpp; blocks run one at a time).
extern interp::ThreadView interp_view;

typedef interp::Index3 uint3;
struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
    constexpr dim3(interp::Index3 v) : x(v.x), y(v.y), z(v.z) {}
};

#define threadIdx (interp_view.threadIdx)
#define blockIdx (interp_view.blockIdx)
#define blockDim (interp_view.blockDim)
#define gridDim (interp_view.gridDim)
#define warpSize 32

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__ __attribute__((noinline))
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
// thread_local at block scope is static: one array per launching OS thread, which is the block.
// It also makes `extern __shared__ T name[]` a valid declaration (kernel_family.cpp defines it).
#define __shared__ thread_local

// ---- barriers and warp intrinsics -------------------------------------------------------
inline void __syncthreads() { interp_api->block_barrier(interp::BARRIER_PLAIN, 1); }
inline int __syncthreads_or(int p) { return interp_api->block_barrier(interp::BARRIER_OR, p != 0); }
inline int __syncthreads_and(int p) { return interp_api->block_barrier(interp::BARRIER_AND, p != 0); }
inline int __syncthreads_count(int p) { return interp_api->block_barrier(interp::BARRIER_COUNT, p != 0); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { interp_api->warp_exchange(interp::WARP_SYNC, mask, 0, 0, 32); }
inline void __threadfence() {}
inline void __threadfence_block() {}

namespace interp_detail {
template <typename T>
inline uint64_t to_bits(T v) {
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable<T>::value, "shuffles move at most 8 bytes");
    uint64_t b = 0;
    std::memcpy(&b, &v, sizeof(T));
    return b;
}
template <typename T>
inline T from_bits(uint64_t b) {
    T v;
    std::memcpy(&v, &b, sizeof(T));
    return v;
}
template <typename T>
inline T exchange(int op, unsigned mask, T v, int arg, int width) {
    return from_bits<T>(interp_api->warp_exchange(op, mask, to_bits(v), arg, width));
}
}  // namespace interp_detail

template <typename T>
inline T __shfl_sync(unsigned mask, T v, int src, int width = 32) {
    return interp_detail::exchange(interp::WARP_SHFL_IDX, mask, v, src, width);
}
template <typename T>
inline T __shfl_up_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    return interp_detail::exchange(interp::WARP_SHFL_UP, mask, v, (int)delta, width);
}
template <typename T>
inline T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    return interp_detail::exchange(interp::WARP_SHFL_DOWN, mask, v, (int)delta, width);
}
template <typename T>
inline T __shfl_xor_sync(unsigned mask, T v, int lane_mask, int width = 32) {
    return interp_detail::exchange(interp::WARP_SHFL_XOR, mask, v, lane_mask, width);
}
inline unsigned __ballot_sync(unsigned mask, int p) {
    return (unsigned)interp_api->warp_exchange(interp::WARP_BALLOT, mask, p != 0, 0, 32);
}
inline int __any_sync(unsigned mask, int p) { return (int)interp_api->warp_exchange(interp::WARP_ANY, mask, p != 0, 0, 32); }
inline int __all_sync(unsigned mask, int p) { return (int)interp_api->warp_exchange(interp::WARP_ALL, mask, p != 0, 0, 32); }

// Atomics are the compiler's (a compare-and-swap loop for floating-point addition, min and max),
// so that they stay atomic if blocks ever run on several threads.
template <typename T>
inline T atomicCAS(T* a, T compare, T v) {
    __atomic_compare_exchange_n(a, &compare, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return compare;
}
template <typename T, typename F>
inline T interp_atomic_update(T* a, F f) {
    T old = __atomic_load_n(a, __ATOMIC_SEQ_CST);
    while (!__atomic_compare_exchange_n(a, &old, f(old), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
    return old;
}
inline double atomicAdd(double* a, double v) {
    uint64_t* bits = reinterpret_cast<uint64_t*>(a);
    uint64_t old = __atomic_load_n(bits, __ATOMIC_SEQ_CST), next;
    do { double d; std::memcpy(&d, &old, 8); d += v; std::memcpy(&next, &d, 8); }
    while (!__atomic_compare_exchange_n(bits, &old, next, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    double r; std::memcpy(&r, &old, 8); return r;
}
inline float atomicAdd(float* a, float v) {
    uint32_t* bits = reinterpret_cast<uint32_t*>(a);
    uint32_t old = __atomic_load_n(bits, __ATOMIC_SEQ_CST), next;
    do { float f; std::memcpy(&f, &old, 4); f += v; std::memcpy(&next, &f, 4); }
    while (!__atomic_compare_exchange_n(bits, &old, next, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    float r; std::memcpy(&r, &old, 4); return r;
}
inline int atomicAdd(int* a, int v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }
inline unsigned atomicAdd(unsigned* a, unsigned v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }
template <typename T>
inline T atomicMax(T* a, T v) { return interp_atomic_update(a, [v](T o) { return v > o ? v : o; }); }
template <typename T>
inline T atomicMin(T* a, T v) { return interp_atomic_update(a, [v](T o) { return v < o ? v : o; }); }
template <typename T>
inline T atomicExch(T* a, T v) { return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST); }
template <typename T>
inline T __ldg(const T* p) { return *p; }

// ---- integer intrinsics -----------------------------------------------------------------
inline unsigned __brev(unsigned x) {
    unsigned r = 0;
    for (int i = 0; i < 32; i++) r |= ((x >> i) & 1u) << (31 - i);
    return r;
}
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }
inline int __ffs(int x) { return __builtin_ffs(x); }

// CUDA's min/max accept mixed operand types (they promote); floating-point ones are fmin/fmax.
template <typename A, typename B>
inline typename std::common_type<A, B>::type min(A a, B b) {
    typedef typename std::common_type<A, B>::type C;
    if constexpr (std::is_floating_point<C>::value) return std::fmin((C)a, (C)b);
    else return (C)a < (C)b ? (C)a : (C)b;
}
template <typename A, typename B>
inline typename std::common_type<A, B>::type max(A a, B b) {
    typedef typename std::common_type<A, B>::type C;
    if constexpr (std::is_floating_point<C>::value) return std::fmax((C)a, (C)b);
    else return (C)a < (C)b ? (C)b : (C)a;
}

// ---- floating-point intrinsics ----------------------------------------------------------
// The _rn forms exist to forbid nvcc's FMA contraction; the host build does not contract
// (-ffp-contract=off), so each is the plain IEEE operation.
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __dsqrt_rn(double a) { return std::sqrt(a); }
inline double __drcp_rn(double a) { return 1.0 / a; }
inline double __fma_rn(double a, double b, double c) { return std::fma(a, b, c); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fdividef(float a, float b) { return a / b; }
inline float __expf(float x) { return expf(x); }
inline float __logf(float x) { return logf(x); }
inline float __sinf(float x) { return sinf(x); }
inline float __cosf(float x) { return cosf(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rcbrt(double x) { return 1.0 / std::cbrt(x); }

// sin(pi x) and cos(pi x) with the argument reduced exactly first (x mod 2), as CUDA's are.
template <typename T>
inline void interp_sincospi(T x, T* s, T* c) {
    T r = std::remainder(x, T(2));  // exact, in [-1, 1]
    if (r == 0) { *s = std::copysign(T(0), x); *c = 1; return; }
    if (std::fabs(r) == T(1)) { *s = std::copysign(T(0), x); *c = -1; return; }
    if (r == T(0.5)) { *s = 1; *c = 0; return; }
    if (r == T(-0.5)) { *s = -1; *c = 0; return; }
    const long double a = (long double)r * 3.141592653589793238462643383279502884L;
    *s = (T)std::sin(a);
    *c = (T)std::cos(a);
}
inline void sincospi(double x, double* s, double* c) { interp_sincospi(x, s, c); }
inline void sincospif(float x, float* s, float* c) { interp_sincospi(x, s, c); }
inline double sinpi(double x) { double s, c; sincospi(x, &s, &c); return s; }
inline double cospi(double x) { double s, c; sincospi(x, &s, &c); return c; }
inline float sinpif(float x) { float s, c; sincospif(x, &s, &c); return s; }
inline float cospif(float x) { float s, c; sincospif(x, &s, &c); return c; }
