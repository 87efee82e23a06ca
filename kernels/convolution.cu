// Stride-1 zero-padded 2-d cross-correlation and its backward passes (reference: CpuConvolution).
// Direct convolution: x[B,Cin,H,W], w[Cout,Cin,KH,KW], y[B,Cout,OH,OW] with OH = H + 2 padH - KH + 1.
// conv1d is this with H = KH = 1 and padH = 0 (the Java side passes those), as on the CPU.
// Every output element has one owner summing in a fixed order: deterministic, no atomics.
#include "common.cuh"

struct ConvDims {
    int batch, cin, h, w, cout, kh, kw, padH, padW, oh, ow;
};

// y[n,co,i,j] = b[co] + sum_{ci,a,c} w[co,ci,a,c] x[n,ci,i+a-padH,j+c-padW]; one thread per y element.
template <typename T>
__device__ void conv2d_forward(const T* x, const T* w, const T* b, T* y, ConvDims d) {
    const long long total = (long long)d.batch * d.cout * d.oh * d.ow;
    FOR_EACH_INDEX(idx, total) {
        const int j = idx % d.ow, i = (idx / d.ow) % d.oh, co = (idx / ((long long)d.ow * d.oh)) % d.cout;
        const long long n = idx / ((long long)d.ow * d.oh * d.cout);
        T s = b != nullptr ? b[co] : T(0);
        for (int ci = 0; ci < d.cin; ci++) {
            const T* xp = x + (n * d.cin + ci) * d.h * d.w;
            const T* wk = w + ((long long)co * d.cin + ci) * d.kh * d.kw;
            for (int a = 0; a < d.kh; a++) {
                const int r = i + a - d.padH;
                if (r < 0 || r >= d.h) continue;
                for (int c = 0; c < d.kw; c++) {
                    const int q = j + c - d.padW;
                    if (q >= 0 && q < d.w) s += wk[a * d.kw + c] * xp[r * d.w + q];
                }
            }
        }
        y[idx] = s;
    }
}

// dx[n,ci,r,q] += sum_{co,a,c} w[co,ci,a,c] dy[n,co,r-a+padH,q-c+padW]; one thread per dx element.
template <typename T>
__device__ void conv2d_backward_input(const T* w, const T* dy, T* dx, ConvDims d) {
    const long long total = (long long)d.batch * d.cin * d.h * d.w;
    FOR_EACH_INDEX(idx, total) {
        const int q = idx % d.w, r = (idx / d.w) % d.h, ci = (idx / ((long long)d.w * d.h)) % d.cin;
        const long long n = idx / ((long long)d.w * d.h * d.cin);
        T s = T(0);
        for (int co = 0; co < d.cout; co++) {
            const T* gp = dy + (n * d.cout + co) * d.oh * d.ow;
            const T* wk = w + ((long long)co * d.cin + ci) * d.kh * d.kw;
            for (int a = 0; a < d.kh; a++) {
                const int i = r - a + d.padH;
                if (i < 0 || i >= d.oh) continue;
                for (int c = 0; c < d.kw; c++) {
                    const int j = q - c + d.padW;
                    if (j >= 0 && j < d.ow) s += wk[a * d.kw + c] * gp[i * d.ow + j];
                }
            }
        }
        dx[idx] += s;
    }
}

// dw[co,ci,a,c] += sum_{n,i,j} dy[n,co,i,j] x[n,ci,i+a-padH,j+c-padW]: one block per weight
// element (gridDim.x = Cout Cin KH KW); its threads split the (n, i, j) positions in a fixed
// stride, then a fixed tree sums them. Accumulated in double so float32 sums over large batches
// keep their accuracy.
template <typename T>
__device__ void conv2d_backward_weight(const T* x, const T* dy, T* dw, ConvDims d) {
    __shared__ double sh[BLOCK_THREADS];
    const int c = blockIdx.x % d.kw, a = (blockIdx.x / d.kw) % d.kh;
    const int ci = (blockIdx.x / (d.kw * d.kh)) % d.cin, co = blockIdx.x / (d.kw * d.kh * d.cin);
    const long long positions = (long long)d.batch * d.oh * d.ow;
    double s = 0.0;
    for (long long p = threadIdx.x; p < positions; p += BLOCK_THREADS) {
        const int j = p % d.ow, i = (p / d.ow) % d.oh;
        const long long n = p / ((long long)d.ow * d.oh);
        const int r = i + a - d.padH, q = j + c - d.padW;
        if (r >= 0 && r < d.h && q >= 0 && q < d.w) {
            s += (double)dy[((n * d.cout + co) * d.oh + i) * d.ow + j] * (double)x[((n * d.cin + ci) * d.h + r) * d.w + q];
        }
    }
    sh[threadIdx.x] = s;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) dw[blockIdx.x] += (T)sh[0];
}

// db[co] += sum_{n,i,j} dy[n,co,i,j]: one block per output channel, fixed split and tree.
template <typename T>
__device__ void conv2d_backward_bias(const T* dy, T* db, ConvDims d) {
    __shared__ double sh[BLOCK_THREADS];
    const int co = blockIdx.x, plane = d.oh * d.ow;
    const long long positions = (long long)d.batch * plane;
    double s = 0.0;
    for (long long p = threadIdx.x; p < positions; p += BLOCK_THREADS) {
        s += (double)dy[((p / plane) * d.cout + co) * plane + p % plane];
    }
    sh[threadIdx.x] = s;
    __syncthreads();
    block_tree_sum(sh);
    if (threadIdx.x == 0) db[co] += (T)sh[0];
}

// The host passes the sizes as eleven ints in ConvDims field order.
#define CONV_PARAMS int batch, int cin, int h, int w_, int cout, int kh, int kw, int padH, int padW, int oh, int ow
#define CONV_DIMS ConvDims{batch, cin, h, w_, cout, kh, kw, padH, padW, oh, ow}

#define CONV_KERNELS(T, SUF)                                                                            \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                   \
        conv2d_forward_##SUF(const T* x, const T* w, const T* b, T* y, CONV_PARAMS) {                  \
        conv2d_forward(x, w, b, y, CONV_DIMS);                                                         \
    }                                                                                                  \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                   \
        conv2d_backward_input_##SUF(const T* w, const T* dy, T* dx, CONV_PARAMS) {                     \
        conv2d_backward_input(w, dy, dx, CONV_DIMS);                                                   \
    }                                                                                                  \
    __global__ void __launch_bounds__(BLOCK_THREADS)                                                   \
        conv2d_backward_weight_##SUF(const T* x, const T* dy, T* dw, CONV_PARAMS) {                    \
        conv2d_backward_weight(x, dy, dw, CONV_DIMS);                                                  \
    }                                                                                                  \
    __global__ void __launch_bounds__(BLOCK_THREADS) conv2d_backward_bias_##SUF(const T* dy, T* db, CONV_PARAMS) { \
        conv2d_backward_bias(dy, db, CONV_DIMS);                                                       \
    }

extern "C" {
CONV_KERNELS(double, f64)
CONV_KERNELS(float, f32)
}
