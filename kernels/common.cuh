// Shared by every kernel family: the launch geometry the Java side assumes
// (dev.reparam.cuda.LaunchGeometry mirrors these numbers) and the grid-stride loop.
#pragma once

// Threads per block of every 1-D launch; the reductions' shared-memory trees are sized by it.
#define BLOCK_THREADS 256

// Grid-stride loop over [0, n): any grid size covers any n, so the host can cap the grid.
// The index is 64-bit so that i + stride cannot overflow near n = 2^31 - 1.
#define FOR_EACH_INDEX(i, n)                                                        \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long)gridDim.x * blockDim.x)

// Sums sh[0..BLOCK_THREADS) into sh[0] by a fixed pairwise tree, so the result depends only on
// the values, never on thread scheduling (no atomics anywhere in the reductions).
template <typename A>
__device__ void block_tree_sum(A* sh) {
    for (int s = BLOCK_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sh[threadIdx.x] += sh[threadIdx.x + s];
        __syncthreads();
    }
}
