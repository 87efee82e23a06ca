package dev.reparam.cuda;

import dev.reparam.tensor.LbfgsVectors;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.List;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * {@link LbfgsVectors} in device memory: every problem's vectors and correction history stay on
 * the GPU, and each operation is one launch of kernels/lbfgs.cu over all listed problems (one
 * warp per problem). Per call only the problem list and a few numbers per problem cross the bus
 * (see docs/cuda.md, "L-BFGS on the device"), except the trial points going to a host objective
 * and its gradients coming back, which a host objective makes unavoidable. Results agree with
 * {@link dev.reparam.tensor.LbfgsVectors#HOST} to rounding (dot products are summed in another
 * order); elementwise updates round exactly as on the host. Uses the calling thread's current
 * context (the backend's) and launches through the backend's {@link LoadedKernels}, so on its
 * stream; the synchronous copies run on the legacy default stream, which a blocking stream
 * orders against.
 */
public final class CudaLbfgsVectors implements LbfgsVectors {
    private final LoadedKernels kernels;
    private final CudaDtype dtype;
    private final int n, dim, m;
    private final BlockPool<CUdeviceptr> pool;
    private final List<BlockPool.Block<CUdeviceptr>> allocations = new ArrayList<>();
    // per problem: vectors [n][dim] in T, history [n][m][dim] in T, scalars in double / int
    private final CUdeviceptr x, g, d, trial, ex, eg, yt, s, y, rho, h0, yy, alpha, count, newest;
    // per call: the problem list, inputs and outputs at list positions (two arrays of k packed
    // into one buffer of 2n, so that they cross in one copy), compact rows
    private final CUdeviceptr ids, inputs, outputs, outFlags, rows;

    /** The vectors of n problems of dim parameters with m history pairs, in dedicated blocks of {@code memory}. */
    public CudaLbfgsVectors(LoadedKernels kernels, DeviceMemory memory, CudaDtype dtype, int n, int dim, int m,
            double[] x0) {
        if (x0.length != (long) n * dim) {
            throw new IllegalArgumentException(x0.length + " starting values for " + n + " x " + dim);
        }
        this.kernels = kernels;
        this.pool = memory.pool();
        this.dtype = dtype;
        this.n = n;
        this.dim = dim;
        this.m = m;
        long vector = (long) n * dim * dtype.bytes(), history = vector * m;
        try {
            x = alloc(vector, "x");
            g = alloc(vector, "g");
            d = alloc(vector, "d");
            trial = alloc(vector, "trial");
            ex = alloc(vector, "evaluated x");
            eg = alloc(vector, "evaluated g");
            yt = alloc(vector, "y");
            s = alloc(history, "s history");
            y = alloc(history, "y history");
            rho = alloc((long) n * m * Double.BYTES, "rho");
            alpha = alloc((long) n * m * Double.BYTES, "alpha");
            h0 = alloc((long) n * Double.BYTES, "h0");
            yy = alloc((long) n * Double.BYTES, "y'y");
            count = alloc((long) n * Integer.BYTES, "count");
            newest = alloc((long) n * Integer.BYTES, "newest");
            ids = alloc((long) n * Integer.BYTES, "problem list");
            inputs = alloc(2L * n * Double.BYTES, "inputs");
            outputs = alloc(2L * n * Double.BYTES, "outputs");
            outFlags = alloc((long) n * Integer.BYTES, "output flags");
            rows = alloc(vector, "rows");
            upload(x, x0, "x0");
            upload(trial, x0, "x0");
            int[] all = new int[n];
            for (int p = 0; p < n; p++) all[p] = p;
            clear(all);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuda-" + dtype.suffix();
    }

    @Override
    public void trialPoints(int[] list, double[] out) {
        int k = list(list);
        launch(Kernel.LBFGS_GATHER, k, args(k).pointer("v", trial, vec("trial")).pointer("out", rows, rowsOf(k)));
        download(rows, out, k * dim, "trial rows");
    }

    @Override
    public void storeEvaluated(int[] list, double[] gradients) {
        int k = list(list);
        upload(rows, gradients, "gradient rows");
        launch(Kernel.LBFGS_STORE_EVALUATED, k, args(k).pointer("trial", trial, vec("trial"))
                .pointer("rows", rows, rowsOf(k)).pointer("ex", ex, vec("ex")).pointer("eg", eg, vec("eg")));
    }

    @Override
    public void adoptStart(int[] list, double[] maxAbsG, boolean[] finite) {
        int k = list(list);
        launch(Kernel.LBFGS_ADOPT_START, k, args(k).pointer("eg", eg, vec("eg")).pointer("g", g, vec("g"))
                .pointer("max_abs", outputs, "f64[" + k + "]").pointer("finite", outFlags, "i32[" + k + "]"));
        downloadDoubles(maxAbsG, null, k);
        downloadFlags(finite, k);
    }

    @Override
    public void direction(int[] list, double[] gd, double[] dd) {
        int k = list(list);
        launch(Kernel.LBFGS_DIRECTION, k, args(k).i32("m", m).pointer("g", g, vec("g")).pointer("d", d, vec("d"))
                .pointer("s", s, hist("s")).pointer("y", y, hist("y")).pointer("rho", rho, "f64[" + n + ", " + m + "]")
                .pointer("h0", h0, "f64[" + n + "]").pointer("count", count, "i32[" + n + "]")
                .pointer("newest", newest, "i32[" + n + "]").pointer("alpha", alpha, "f64[" + n + ", " + m + "]")
                .pointer("gd", outputs, "f64[" + k + "]").pointer("dd", second(outputs, k), "f64[" + k + "]"));
        downloadDoubles(gd, dd, k);
    }

    @Override
    public void setTrial(int[] list, double[] stp, boolean[] same) {
        int k = list(list);
        uploadDoubles(stp, null, k);
        launch(Kernel.LBFGS_SET_TRIAL, k, args(k).pointer("x", x, vec("x")).pointer("d", d, vec("d"))
                .pointer("trial", trial, vec("trial")).pointer("ex", ex, vec("ex"))
                .pointer("stp", inputs, "f64[" + k + "]").pointer("same", outFlags, "i32[" + k + "]"));
        downloadFlags(same, k);
    }

    @Override
    public void directionalDerivative(int[] list, double[] gd, boolean[] finite) {
        int k = list(list);
        launch(Kernel.LBFGS_DIRECTIONAL, k, args(k).pointer("eg", eg, vec("eg")).pointer("d", d, vec("d"))
                .pointer("gd", outputs, "f64[" + k + "]").pointer("finite", outFlags, "i32[" + k + "]"));
        downloadDoubles(gd, null, k);
        downloadFlags(finite, k);
    }

    @Override
    public void finish(int[] list, double[] maxAbsG) {
        int k = list(list);
        launch(Kernel.LBFGS_FINISH, k, args(k).pointer("trial", trial, vec("trial")).pointer("eg", eg, vec("eg"))
                .pointer("x", x, vec("x")).pointer("g", g, vec("g")).pointer("yt", yt, vec("y"))
                .pointer("yy", yy, "f64[" + n + "]").pointer("max_abs", outputs, "f64[" + k + "]"));
        downloadDoubles(maxAbsG, null, k);
    }

    @Override
    public void push(int[] list, double[] stp, double[] sy) {
        int k = list(list);
        uploadDoubles(stp, sy, k);
        launch(Kernel.LBFGS_PUSH, k, args(k).i32("m", m).pointer("d", d, vec("d")).pointer("yt", yt, vec("y"))
                .pointer("s", s, hist("s")).pointer("y", y, hist("y")).pointer("rho", rho, "f64[" + n + ", " + m + "]")
                .pointer("h0", h0, "f64[" + n + "]").pointer("yy", yy, "f64[" + n + "]")
                .pointer("count", count, "i32[" + n + "]").pointer("newest", newest, "i32[" + n + "]")
                .pointer("stp", inputs, "f64[" + k + "]").pointer("sy", second(inputs, k), "f64[" + k + "]"));
    }

    @Override
    public void clear(int[] list) {
        int k = list(list);
        if (k == 0) return;
        kernels.launch(Kernel.LBFGS_CLEAR, dtype, LaunchGeometry.warpBlocks(k), new KernelArgs(dtype)
                .pointer("ids", ids, "i32[" + k + "]").i32("k", k)
                .pointer("count", count, "i32[" + n + "]").pointer("newest", newest, "i32[" + n + "]"));
    }

    @Override
    public void positions(double[] out) {
        download(x, out, n * dim, "x");
    }

    // ---- transfers and launches -------------------------------------------------------------

    /** Uploads the problem list; returns its length k. */
    private int list(int[] list) {
        if (list.length > n) throw new IllegalArgumentException(list.length + " problems listed, " + n + " held");
        if (list.length > 0) {
            check(JCudaDriver.cuMemcpyHtoD(ids, Pointer.to(list), (long) list.length * Integer.BYTES),
                    "cuMemcpyHtoD(L-BFGS problem list, " + list.length + " ids)");
        }
        return list.length;
    }

    /** The arguments every per-problem kernel starts with: (ids, k, dim). */
    private KernelArgs args(int k) {
        return new KernelArgs(dtype).pointer("ids", ids, "i32[" + k + "]").i32("k", k).i32("dim", dim);
    }

    private void launch(Kernel kernel, int k, KernelArgs args) {
        if (k == 0) return;
        kernels.launch(kernel, dtype, LaunchGeometry.warpBlocks(k), args);
    }

    private String vec(String name) {
        return name + " " + dtype.suffix() + "[" + n + ", " + dim + "]";
    }

    private String hist(String name) {
        return name + " " + dtype.suffix() + "[" + n + ", " + m + ", " + dim + "]";
    }

    private String rowsOf(int k) {
        return dtype.suffix() + "[" + k + ", " + dim + "]";
    }

    private CUdeviceptr alloc(long bytes, String what) {
        // a dedicated block has at least one byte (n = 0 or dim = 0): an empty array still gets a valid pointer
        BlockPool.Block<CUdeviceptr> block = pool.acquireDedicated(bytes);
        allocations.add(block);
        CUdeviceptr p = block.handle();
        // zeros, as the host's new arrays start: nothing reads an element before writing it in
        // the algorithm's order, but a stray read then sees 0, not garbage
        check(JCudaDriver.cuMemsetD8(p, (byte) 0, Math.max(1, bytes)), "cuMemsetD8(L-BFGS " + what + ", 0)");
        return p;
    }

    /** Uploads values (all of them) in the dtype of the vectors. */
    private void upload(CUdeviceptr dst, double[] values, String what) {
        if (values.length == 0) return;
        Pointer src;
        if (dtype == CudaDtype.FLOAT64) {
            src = Pointer.to(values);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            src = Pointer.to(f);
        }
        check(JCudaDriver.cuMemcpyHtoD(dst, src, (long) values.length * dtype.bytes()),
                "cuMemcpyHtoD(L-BFGS " + what + ")");
    }

    /** Downloads count values in the dtype of the vectors into out[0..count). */
    private void download(CUdeviceptr src, double[] out, int count, String what) {
        if (count == 0) return;
        String call = "cuMemcpyDtoH(L-BFGS " + what + ")";
        if (dtype == CudaDtype.FLOAT64) {
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), src, (long) count * Double.BYTES), call);
        } else {
            float[] f = new float[count];
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(f), src, (long) count * Float.BYTES), call);
            for (int i = 0; i < count; i++) out[i] = f[i];
        }
    }

    /** The second array of k in a packed buffer of 2n doubles. */
    private static CUdeviceptr second(CUdeviceptr packed, int k) {
        return packed.withByteOffset((long) k * Double.BYTES);
    }

    /** a[0..k) and, if given, b[0..k) into the inputs buffer, in one copy. */
    private void uploadDoubles(double[] a, double[] b, int k) {
        if (k == 0) return;
        double[] packed = b == null ? a : new double[2 * k];
        if (b != null) {
            System.arraycopy(a, 0, packed, 0, k);
            System.arraycopy(b, 0, packed, k, k);
        }
        int count = b == null ? k : 2 * k;
        check(JCudaDriver.cuMemcpyHtoD(inputs, Pointer.to(packed), (long) count * Double.BYTES),
                "cuMemcpyHtoD(L-BFGS inputs f64[" + count + "])");
    }

    /** The outputs buffer's first k doubles into a and, if given, the next k into b, in one copy. */
    private void downloadDoubles(double[] a, double[] b, int k) {
        if (k == 0) return;
        int count = b == null ? k : 2 * k;
        double[] packed = b == null ? a : new double[count];
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(packed), outputs, (long) count * Double.BYTES),
                "cuMemcpyDtoH(L-BFGS outputs f64[" + count + "])");
        if (b != null) {
            System.arraycopy(packed, 0, a, 0, k);
            System.arraycopy(packed, k, b, 0, k);
        }
    }

    private void downloadFlags(boolean[] out, int k) {
        if (k == 0) return;
        int[] flags = new int[k];
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(flags), outFlags, (long) k * Integer.BYTES),
                "cuMemcpyDtoH(L-BFGS i32[" + k + "])");
        for (int j = 0; j < k; j++) out[j] = flags[j] != 0;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (BlockPool.Block<CUdeviceptr> b : allocations) {
            try {
                pool.release(b);
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        allocations.clear();
        if (first != null) throw first;
    }
}
