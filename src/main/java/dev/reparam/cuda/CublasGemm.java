package dev.reparam.cuda;

import jcuda.Pointer;
import jcuda.driver.CUstream;
import jcuda.runtime.cudaStream_t;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasAtomicsMode;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcublas.cublasStatus;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

/**
 * The linear layer's products through cuBLAS (cublasDgemm / cublasSgemm). The handle is created
 * on the calling thread's current context, the device's primary context that our kernels use
 * too, and works on the backend's stream (cublasSetStream) as our launches do, so its GEMMs are
 * ordered with our kernels without synchronising and are recorded by graph capture.
 *
 * <p>Layout. cuBLAS is column-major; our tensors are row-major. A row-major [R, C] array is
 * the column-major C x R matrix with leading dimension C, i.e. its transpose. So each product
 * C = A B in row-major is computed as C^T = B^T A^T in column-major, on the same memory, with no
 * copies:
 * <ul>
 * <li>forward y[B,Out] = x W^T: y^T (Out x B, ld Out) = W (op T of the In x Out view, ld In) ·
 *     x^T (op N, In x B, ld In); m = Out, n = B, k = In;
 * <li>backward input dx[B,In] += dy W: dx^T (In x B, ld In) = W^T (op N, ld In) · dy^T (op N,
 *     Out x B, ld Out); m = In, n = B, k = Out, beta = 1;
 * <li>backward weight dW[Out,In] += dy^T x: dW^T (In x Out, ld In) = x^T (op N, In x B, ld In) ·
 *     dy (op T of the Out x B view, ld Out); m = In, n = Out, k = B, beta = 1.
 * </ul>
 * The bias is written into y first by our {@code linear_bias_rows} kernel and the GEMM then adds
 * with beta = 1; without a bias beta = 0 (cuBLAS then does not read y, so stale NaNs are harmless).
 *
 * <p>Determinism. Scalars are host pointers (CUBLAS_POINTER_MODE_HOST), atomics are disallowed
 * (CUBLAS_ATOMICS_NOT_ALLOWED, the default, set explicitly), and the math mode is the default
 * one, which keeps FP32 products in FP32 (no TF32) and FP64 in FP64. cuBLAS documents that its
 * routines then give bit-identical results run to run for one toolkit version on GPUs of the
 * same architecture and SM count, as long as one stream is active (concurrent streams sharing a
 * handle may pick other internal workspaces; a workspace per stream restores it). Split-K
 * algorithms change the summation order against our tiled kernel and the CPU (agreement to
 * rounding, not bits), but not from run to run.
 */
final class CublasGemm implements GemmEngine {
    private final cublasHandle handle;
    private final LoadedKernels kernels;
    private final CudaDtype dtype;
    private final String version;
    private final Pointer one, zero;

    private CublasGemm(cublasHandle handle, LoadedKernels kernels, CudaDtype dtype, String version) {
        this.handle = handle;
        this.kernels = kernels;
        this.dtype = dtype;
        this.version = version;
        boolean f64 = dtype == CudaDtype.FLOAT64;
        this.one = f64 ? Pointer.to(new double[] {1}) : Pointer.to(new float[] {1});
        this.zero = f64 ? Pointer.to(new double[] {0}) : Pointer.to(new float[] {0});
    }

    /**
     * Loads cuBLAS and creates a handle on the current context whose work goes to {@code stream}
     * (the backend's, so GEMMs order with our kernels and are recorded by graph capture; null =
     * the legacy default stream); throws (an IllegalStateException, or the loader's LinkageError)
     * when it cannot.
     */
    static CublasGemm open(LoadedKernels kernels, CudaDtype dtype, CUstream stream) {
        String failure = CublasLibrary.loadFailure();
        if (failure != null) throw new IllegalStateException(failure);
        cublasHandle handle = new cublasHandle();
        check(JCublas2.cublasCreate(handle), "cublasCreate");
        try {
            if (stream != null) check(JCublas2.cublasSetStream(handle, new cudaStream_t(stream)), "cublasSetStream");
            check(JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode(HOST)");
            check(JCublas2.cublasSetAtomicsMode(handle, cublasAtomicsMode.CUBLAS_ATOMICS_NOT_ALLOWED),
                    "cublasSetAtomicsMode(NOT_ALLOWED)");
            check(JCublas2.cublasSetMathMode(handle, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode(DEFAULT)");
            int[] v = {0};
            check(JCublas2.cublasGetVersion(handle, v), "cublasGetVersion");
            return new CublasGemm(handle, kernels, dtype, versionString(v[0]));
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(handle);
            throw e;
        }
    }

    /** cuBLAS 11+ encodes its version as major * 10000 + minor * 100 + patch. */
    static String versionString(int v) {
        return (v / 10000) + "." + (v % 10000) / 100 + "." + v % 100;
    }

    @Override
    public String describe() {
        return "cuBLAS " + version;
    }

    @Override
    public void forward(DeviceOperand x, DeviceOperand w, DeviceOperand b, DeviceOperand y, int batch, int in,
            int out) {
        if (batch == 0 || out == 0) return;
        if (!b.isNone() || in == 0) {
            // y = b in every row (or 0 when there is no bias and nothing to sum), then y += x W^T
            kernels.launch(Kernel.LINEAR_BIAS_ROWS, dtype, LaunchGeometry.elementwiseBlocks(batch * out),
                    new OperandArgs(dtype).operand("b", b).operand("y", y).i32("batch", batch).i32("out", out));
        }
        if (in == 0) return;
        gemm(CUBLAS_OP_T, CUBLAS_OP_N, out, batch, in, w, in, x, in, b.isNone() ? zero : one, y, out,
                "forward y=" + y.description() + " = x=" + x.description() + " w=" + w.description() + "^T");
    }

    @Override
    public void backwardInput(DeviceOperand dy, DeviceOperand w, DeviceOperand dx, int batch, int in, int out) {
        if (batch == 0 || in == 0 || out == 0) return;
        gemm(CUBLAS_OP_N, CUBLAS_OP_N, in, batch, out, w, in, dy, out, one, dx, in,
                "backward input dx=" + dx.description() + " += dy=" + dy.description() + " w=" + w.description());
    }

    @Override
    public void backwardWeight(DeviceOperand dy, DeviceOperand x, DeviceOperand dw, int batch, int in, int out) {
        if (batch == 0 || in == 0 || out == 0) return;
        gemm(CUBLAS_OP_N, CUBLAS_OP_T, in, out, batch, x, in, dy, out, one, dw, in,
                "backward weight dw=" + dw.description() + " += dy=" + dy.description() + "^T x=" + x.description());
    }

    /** Column-major C[m,n] = op(A) op(B) + beta C, alpha = 1. */
    private void gemm(int opA, int opB, int m, int n, int k, DeviceOperand a, int lda, DeviceOperand b, int ldb,
                      Pointer beta, DeviceOperand c, int ldc, String what) {
        int status = dtype == CudaDtype.FLOAT64
                ? JCublas2.cublasDgemm(handle, opA, opB, m, n, k, one, a.address(), lda, b.address(), ldb, beta,
                c.address(), ldc)
                : JCublas2.cublasSgemm(handle, opA, opB, m, n, k, one, a.address(), lda, b.address(), ldb, beta,
                c.address(), ldc);
        check(status, (dtype == CudaDtype.FLOAT64 ? "cublasDgemm" : "cublasSgemm") + " (linear " + what + ", m=" + m
                + " n=" + n + " k=" + k + ")");
    }

    private static void check(int status, String what) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(what + " failed: " + cublasStatus.stringFor(status));
        }
    }

    @Override
    public void close() {
        check(JCublas2.cublasDestroy(handle), "cublasDestroy");
    }
}
