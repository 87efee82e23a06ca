// Runs CUDA kernel source on the CPU, one std::thread per CUDA thread, for checking the index
// arithmetic and barriers of kernels/ks.cu, bound_map.cu and billiards.cu on a machine without a GPU
// (see run.sh). Only what they use is provided: one block runs at a time, its threads meet at a real barrier, and
// dynamic shared memory is one static array.
#pragma once
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 0, y = 0, z = 0; };
inline thread_local dim3 threadIdx;
inline dim3 blockIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __host__
#define __shared__
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))

inline std::barrier<>* emu_barrier = nullptr;
inline std::atomic<int> emu_or_flags[3];
inline thread_local int emu_or_round = 0;

inline void __syncthreads() { emu_barrier->arrive_and_wait(); }

// Three rotating flags: round r sets flag r % 3 before the barrier and reads it after; thread 0
// then clears the flag of round r + 2 (nobody reads it until after the next barrier).
inline int __syncthreads_or(int p) {
    int r = emu_or_round++ % 3;
    if (p) emu_or_flags[r].store(1);
    emu_barrier->arrive_and_wait();
    int v = emu_or_flags[r].load();
    if (threadIdx.x == 0) emu_or_flags[(r + 2) % 3].store(0);
    return v;
}

inline unsigned __brev(unsigned x) {
    unsigned r = 0;
    for (int i = 0; i < 32; i++) r |= ((x >> i) & 1u) << (31 - i);
    return r;
}

using std::min;

// Runs kernel(args...) on grid x block threads, block after block.
template <typename F>
void emu_launch(int blocks, int threads, F kernel) {
    gridDim.x = blocks;
    blockDim.x = threads;
    for (int b = 0; b < blocks; b++) {
        blockIdx.x = b;
        std::barrier<> bar(threads);
        emu_barrier = &bar;
        for (auto& f : emu_or_flags) f.store(0);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; t++) {
            pool.emplace_back([&, t] {
                threadIdx.x = t;
                emu_or_round = 0;
                kernel();
            });
        }
        for (auto& th : pool) th.join();
    }
}
