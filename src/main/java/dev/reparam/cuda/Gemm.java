package dev.reparam.cuda;

import jcuda.driver.CUstream;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The choice of GEMM, made once when a CUDA backend opens: cuBLAS where JCublas loads and a
 * handle can be created (CUDA 12 systems: JCublas 12.6 links libcublas.so.12, so it cannot
 * load cuBLAS 13), else our tiled kernel, with the reason kept for the report. The system
 * property {@code reparam.gemm} = {@code auto} (default), {@code cublas} (fail rather than fall
 * back) or {@code tiled} (never try cuBLAS, e.g. to compare the two) overrides the choice.
 *
 * @param engine the engine the backend delegates to
 * @param report one line for the start notice and logs, e.g. {@code gemm: cuBLAS 12.6.3} or
 *               {@code gemm: own tiled kernel (cuBLAS unavailable: libcublas.so.12: cannot open ...)}
 */
record Gemm(GemmEngine engine, String report) {
    static final String PROPERTY = "reparam.gemm";

    enum Mode { AUTO, CUBLAS, TILED }

    /** The mode the {@code reparam.gemm} property asks for; a bad value is one error naming it. */
    static Mode mode() {
        String s = System.getProperty(PROPERTY, "auto");
        try {
            return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + ": expected auto, cublas or tiled, got '" + s + "'");
        }
    }

    /**
     * Tries {@code cublas} unless the mode is TILED; any failure to load or initialise it
     * (LinkageError from the native loader, or a RuntimeException from cublasCreate) selects
     * {@code tiled} in AUTO mode and is an error in CUBLAS mode.
     */
    static Gemm select(Mode mode, Supplier<? extends GemmEngine> cublas, Supplier<? extends GemmEngine> tiled) {
        if (mode == Mode.TILED) {
            GemmEngine t = tiled.get();
            return new Gemm(t, "gemm: " + t.describe() + " (-D" + PROPERTY + "=tiled)");
        }
        if (CudaDriver.interpreted()) {
            // cuBLAS would call the system's CUDA runtime, not the interpreter
            if (mode == Mode.CUBLAS) {
                throw new IllegalStateException("-D" + PROPERTY + "=cublas: cuBLAS does not run under the interpreter");
            }
            GemmEngine t = tiled.get();
            return new Gemm(t, "gemm: " + t.describe() + " (the interpreter runs no cuBLAS)");
        }
        String reason;
        try {
            GemmEngine c = cublas.get();
            return new Gemm(c, "gemm: " + c.describe());
        } catch (LinkageError | RuntimeException e) {
            reason = e instanceof LinkageError ? CublasLibrary.reason(e) : e.getMessage();
        }
        if (mode == Mode.CUBLAS) {
            throw new IllegalStateException("-D" + PROPERTY + "=cublas: cuBLAS unavailable: " + reason);
        }
        GemmEngine t = tiled.get();
        return new Gemm(t, "gemm: " + t.describe() + " (cuBLAS unavailable: " + reason + ")");
    }

    /** The backend's choice on the current context, cuBLAS working on the backend's {@code stream}. */
    static Gemm open(LoadedKernels kernels, CudaDtype dtype, CUstream stream) {
        return select(mode(), () -> CublasGemm.open(kernels, dtype, stream), () -> new TiledGemm(kernels, dtype));
    }

    /**
     * For {@code reparam info}, without a device: which GEMM a CUDA backend would use, as far as
     * can be told before a handle exists (the library loads or not).
     */
    static String infoLine() {
        Mode mode;
        try {
            mode = mode();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (mode == Mode.TILED) return "own tiled kernel (-D" + PROPERTY + "=tiled)";
        try {
            if (CudaDriver.interpretRequested()) return "own tiled kernel (the interpreter runs no cuBLAS)";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String failure = CublasLibrary.loadFailure();
        if (failure == null) return "cuBLAS (JCublas and libcublas.so.12 load; version known once a device opens)";
        if (mode == Mode.CUBLAS) return "none: -D" + PROPERTY + "=cublas, but cuBLAS is unavailable: " + failure;
        return "own tiled kernel (cuBLAS unavailable: " + failure + ")";
    }
}
