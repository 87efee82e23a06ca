// Minimal CPU emulation of the CUDA features the ns kernels use (native/ns-emulation/driver.cpp):
// 1-D grids of 256-thread blocks, __syncthreads, static __shared__ memory, __shfl_down_sync on full
// warps. Threads of a block are coroutines (ucontext) scheduled round-robin; a barrier releases when
// every live thread of the block (or all 32 lanes, for a shuffle) waits at it, and aborts when only
// part of a block reaches it. Blocks run one after another, which a correct kernel cannot tell.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>
#include <ucontext.h>
using std::max; using std::min; using std::abs; using std::exp; using std::fmax;
struct Dim { unsigned x = 0, y = 0, z = 0; };
inline Dim threadIdx, blockIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __launch_bounds__(x)
#define __shared__ static
enum Wait { RUN = 0, BLOCK = 1, WARP = 2, DONE = 3 };
struct Emu {
    ucontext_t sched, ctx[256];
    std::vector<char> stacks = std::vector<char>(256 * 256 * 1024);
    int state[256];
    int cur;
    const std::function<void()>* body;
    double warpBuf[256];
};
inline Emu* E = nullptr;
inline void emu_yield(int w) { E->state[E->cur] = w; swapcontext(&E->ctx[E->cur], &E->sched); }
inline void __syncthreads() { emu_yield(BLOCK); }
inline double __shfl_down_sync(unsigned, double v, int off) {
    int t = threadIdx.x, lane = t % 32;
    E->warpBuf[t] = v;
    emu_yield(WARP);
    double r = lane + off < 32 ? E->warpBuf[t + off] : v;
    emu_yield(WARP);
    return r;
}
inline void emu_entry() { (*E->body)(); E->state[E->cur] = DONE; swapcontext(&E->ctx[E->cur], &E->sched); }
inline void emu_launch(int blocks, bool threaded, const std::function<void()>& body) {
    gridDim.x = blocks; blockDim.x = 256;
    if (!threaded) {
        for (int b = 0; b < blocks; b++) for (int t = 0; t < 256; t++) { blockIdx.x = b; threadIdx.x = t; body(); }
        return;
    }
    if (!E) E = new Emu();
    E->body = &body;
    for (int b = 0; b < blocks; b++) {
        blockIdx.x = b;
        for (int t = 0; t < 256; t++) {
            getcontext(&E->ctx[t]);
            E->ctx[t].uc_stack.ss_sp = &E->stacks[(size_t)t * 256 * 1024];
            E->ctx[t].uc_stack.ss_size = 256 * 1024;
            E->ctx[t].uc_link = nullptr;
            makecontext(&E->ctx[t], emu_entry, 0);
            E->state[t] = RUN;
        }
        while (true) {
            bool any = false;
            for (int t = 0; t < 256; t++) {
                if (E->state[t] != RUN) continue;
                any = true;
                E->cur = t; threadIdx.x = t;
                swapcontext(&E->sched, &E->ctx[t]);
            }
            if (any) continue;
            // nothing runnable: release a complete barrier
            int live = 0, atBlock = 0;
            for (int t = 0; t < 256; t++) { if (E->state[t] != DONE) live++; if (E->state[t] == BLOCK) atBlock++; }
            if (live == 0) break;
            bool released = false;
            for (int w = 0; w < 8; w++) {
                int n = 0; for (int l = 0; l < 32; l++) n += E->state[w * 32 + l] == WARP;
                if (n == 32) { for (int l = 0; l < 32; l++) E->state[w * 32 + l] = RUN; released = true; }
                else if (n > 0) { fprintf(stderr, "partial warp at shfl in block %d\n", b); exit(2); }
            }
            if (released) continue;
            if (atBlock == live) {
                if (live != 256) { fprintf(stderr, "barrier with %d of 256 threads live (block %d): divergent __syncthreads\n", live, b); exit(2); }
                for (int t = 0; t < 256; t++) if (E->state[t] == BLOCK) E->state[t] = RUN;
                continue;
            }
            fprintf(stderr, "deadlock in block %d\n", b); exit(2);
        }
    }
}
