// Kernels that are wrong on purpose, for InterpreterChecksTest: the interpreter must catch each.
#define THREADS 256

// y[i] = x[i + 1]: the last thread reads one element past x.
extern "C" __global__ void read_past_end_f64(const double* x, double* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = x[i + 1];
}

// Reverses one block of THREADS values through shared memory, without the barrier between the
// writes and the reads: a race, whose result depends on the order the threads run in.
extern "C" __global__ void racy_reverse_f64(const double* x, double* y) {
    __shared__ double s[THREADS];
    int t = threadIdx.x;
    s[t] = x[t];
    y[t] = s[THREADS - 1 - t];
}

// The same with the barrier: correct, the same under every schedule.
extern "C" __global__ void reverse_f64(const double* x, double* y) {
    __shared__ double s[THREADS];
    int t = threadIdx.x;
    s[t] = x[t];
    __syncthreads();
    y[t] = s[THREADS - 1 - t];
}

// Threads at or past n return before a barrier the others wait at.
extern "C" __global__ void barrier_after_return_f64(double* y, int n) {
    int t = threadIdx.x;
    if (t >= n) return;
    y[t] = 1;
    __syncthreads();
    y[t] += 1;
}

// A warp sum by shuffles: lanes below n take part, but the mask names all 32.
extern "C" __global__ void shuffle_exited_lane_f64(double* y, int n) {
    int t = threadIdx.x;
    if (t >= n) return;
    double s = y[t];
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffffu, s, o);
    y[t] = s;
}

// Holds values in registers across its first touch of a __shared__ array, which the interpreter
// makes a thread_local of the kernel library: on a fresh OS thread that touch allocates the
// library's TLS, and with TLS descriptors (-mtls-dialect=gnu2) before glibc 2.40 the allocation
// clobbered registers it must keep (native/build-kernel-library.sh). Correct, so y must be the
// exact a + b + c + d + e of x, under every build and glibc.
extern "C" __global__ void registers_across_first_shared_touch_f64(const double* x, double* y) {
    __shared__ double s[THREADS];
    volatile double* touched = s;  // so that the store and the load are made, not folded away
    int t = threadIdx.x;
    double a = x[t], b = a * a + 1.0, c = b * a - 3.0, d = c * b + a, e = d * d - c;
    touched[t] = e;
    y[t] = a + b + c + d + touched[t];
}
