package dev.reparam.cuda;

import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * The {@link Backend} on an NVIDIA GPU: tensors live in pooled device memory of one dtype
 * (float64 or float32), and every op is one or a few launches of our kernels (kernels/, loaded
 * from the jar's fatbins) on the primary context's default stream. Host copies happen only in
 * fromHost, copyFromHost, toHost, the two whole-tensor sums (one double back each), and the
 * upload of scaledTanh's constant arrays. Launch-time errors name the kernel and its arguments;
 * faults while a kernel runs surface at the next synchronising call (a copy to the host, or
 * {@link #synchronize}). Not thread-safe: one thread drives a backend.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    private static final CUdeviceptr NULL = new CUdeviceptr();

    private final CudaDevice device;
    private final LoadedKernels kernels;
    private final CudaDtype dtype;
    private final BlockPool<CUdeviceptr> pool = CudaMemoryPool.create();
    /** Reduction partials followed by the final sum: allocated once, reused by every sum. */
    private final CudaStorage reduction;

    private CudaBackend(CudaDevice device, LoadedKernels kernels, CudaDtype dtype) {
        this.device = device;
        this.kernels = kernels;
        this.dtype = dtype;
        this.reduction = new CudaStorage(pool, LaunchGeometry.MAX_REDUCTION_BLOCKS + 1, CudaDtype.FLOAT64);
    }

    /** Opens device 0 and loads the kernels; fails with the reason when CUDA is not available. */
    public static CudaBackend open(CudaDtype dtype) {
        CudaAvailability a = CudaAvailability.probe();
        if (!a.available()) throw new IllegalStateException("the CUDA backend is unavailable: " + a.detail());
        CudaDevice device = CudaDevice.open(0);
        try {
            return new CudaBackend(device, LoadedKernels.load(), dtype);
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuda-" + dtype.suffix();
    }

    public CudaDtype dtype() { return dtype; }

    public CudaDevice device() { return device; }

    /** The loaded kernels, for code that launches its own (the physics kernels of a problem set). */
    public LoadedKernels kernels() { return kernels; }

    /** Hands t's storage back to the pool now; every view of it is dead afterwards. */
    public void release(Tensor t) {
        storage(t).release();
    }

    /** Pool counters: allocations stop growing once the iterations are warmed up. */
    public BlockPool.Stats poolStats() {
        return pool.stats();
    }

    /** Waits for queued kernels; a fault in one surfaces here. */
    public void synchronize() {
        device.synchronize("kernels queued by " + name());
    }

    // ---- memory ----------------------------------------------------------------------------
    @Override
    public Tensor zeros(int... shape) {
        Tensor t = allocate(shape);
        if (t.size() > 0) {
            check(JCudaDriver.cuMemsetD8(address(t), (byte) 0, bytes(t)), "cuMemsetD8(" + describe(t) + ", 0)");
        }
        return t;
    }

    @Override
    public Tensor fromHost(double[] data, int... shape) {
        if (data.length != Tensor.sizeOf(shape)) {
            throw new IllegalArgumentException(data.length + " values do not fill shape " + Arrays.toString(shape));
        }
        Tensor t = allocate(shape);
        copyFromHost(data, t);
        return t;
    }

    private Tensor allocate(int... shape) {
        return Tensor.on(this, new CudaStorage(pool, Tensor.sizeOf(shape), dtype), 0, shape);
    }

    @Override
    public double[] toHost(Tensor t) {
        double[] out = new double[t.size()];
        if (out.length == 0) return out;
        String what = "cuMemcpyDtoH(" + describe(t) + ")";
        if (dtype == CudaDtype.FLOAT64) {
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), address(t), bytes(t)), what);
        } else {
            float[] f = new float[out.length];
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(f), address(t), bytes(t)), what);
            for (int i = 0; i < f.length; i++) out[i] = f[i];
        }
        return out;
    }

    @Override
    public void copyFromHost(double[] data, Tensor t) {
        if (data.length != t.size()) throw new IllegalArgumentException(data.length + " values for " + t);
        if (data.length == 0) return;
        check(JCudaDriver.cuMemcpyHtoD(address(t), hostPointer(data), bytes(t)), "cuMemcpyHtoD(" + describe(t) + ")");
    }

    /** The host array in the device's dtype: float32 tensors get the values rounded to float. */
    private Pointer hostPointer(double[] data) {
        if (dtype == CudaDtype.FLOAT64) return Pointer.to(data);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return Pointer.to(f);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) throw new IllegalArgumentException("copy " + src + " to " + dst);
        if (src.size() == 0) return;
        check(JCudaDriver.cuMemcpyDtoD(address(dst), address(src), bytes(src)),
                "cuMemcpyDtoD(" + describe(src) + " to " + describe(dst) + ")");
    }

    @Override
    public void fill(Tensor t, double value) {
        elementwise(Kernel.FILL, t.size(), args().tensor("t", t).scalar("value", value).i32("n", t.size()));
    }

    // ---- elementwise -----------------------------------------------------------------------
    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise(Kernel.ADD, out.size(), args().tensor("a", a).tensor("b", b).tensor("out", out).i32("n", out.size()));
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        elementwise(Kernel.AXPY, y.size(), args().scalar("alpha", alpha).tensor("x", x).tensor("y", y).i32("n", y.size()));
    }

    @Override
    public void scale(Tensor x, double alpha, Tensor out) {
        elementwise(Kernel.SCALE, out.size(), args().tensor("x", x).scalar("alpha", alpha).tensor("out", out).i32("n", out.size()));
    }

    @Override
    public double sum(Tensor x) {
        return reduce(Kernel.SUM_PARTIALS, x);
    }

    @Override
    public double sumOfSquares(Tensor x) {
        return reduce(Kernel.SUM_OF_SQUARES_PARTIALS, x);
    }

    /** Two passes into the reusable partials buffer (see kernels/reductions.cu), one double back. */
    private double reduce(Kernel partialsKernel, Tensor x) {
        int n = x.size(), blocks = LaunchGeometry.reductionBlocks(n);
        CUdeviceptr partials = reduction.at(0), out = reduction.at(LaunchGeometry.MAX_REDUCTION_BLOCKS);
        kernels.launch(partialsKernel, dtype, blocks, args().tensor("x", x).i32("n", n)
                .pointer("partials", partials, "f64[" + blocks + "]"));
        kernels.launch(Kernel.REDUCE_PARTIALS, CudaDtype.FLOAT64, 1, new KernelArgs(CudaDtype.FLOAT64)
                .pointer("partials", partials, "f64[" + blocks + "]").i32("count", blocks).pointer("out", out, "f64[1]"));
        double[] result = new double[1];
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(result), out, Double.BYTES),
                "cuMemcpyDtoH(result of " + partialsKernel.symbol(dtype) + " over " + describe(x) + ")");
        return result[0];
    }

    // ---- activations and the bounded output map ---------------------------------------------
    @Override
    public void activation(Activation kind, Tensor x, Tensor y) {
        elementwise(Kernel.forward(kind), y.size(), args().tensor("x", x).tensor("y", y).i32("n", y.size()));
    }

    @Override
    public void activationBackward(Activation kind, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        if (dx == null) return;
        // ReLU's derivative reads x, sigmoid's and tanh's the forward output y
        TensorArgs a = kind == Activation.RELU ? args().tensor("x", x) : args().tensor("y", y);
        elementwise(Kernel.backward(kind), dx.size(), a.tensor("dy", dy).tensor("dx", dx).i32("n", dx.size()));
    }

    @Override
    public void scaledTanh(Tensor z, double[] mid, double[] half, Tensor xi) {
        Tensor midD = fromHost(mid, mid.length), halfD = fromHost(half, half.length);
        elementwise(Kernel.SCALED_TANH_FORWARD, xi.size(), args().tensor("z", z).tensor("mid", midD).tensor("half", halfD)
                .tensor("xi", xi).i32("n", xi.size()).i32("d", mid.length));
        // back to the pool at once: a later user of these blocks runs after this kernel (one stream)
        release(midD);
        release(halfD);
    }

    @Override
    public void scaledTanhBackward(Tensor z, double[] half, Tensor dxi, Tensor dz) {
        if (dz == null) return;
        Tensor halfD = fromHost(half, half.length);
        elementwise(Kernel.SCALED_TANH_BACKWARD, dz.size(), args().tensor("z", z).tensor("half", halfD).tensor("dxi", dxi)
                .tensor("dz", dz).i32("n", dz.size()).i32("d", half.length));
        release(halfD);
    }

    // ---- dense -----------------------------------------------------------------------------
    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        int batch = x.dim(0), in = x.dim(1), out = w.dim(0);
        kernels.launch(Kernel.LINEAR_FORWARD, dtype, gemmBlocks(batch, out), args().tensor("x", x).tensor("w", w)
                .optional("b", b).tensor("y", y).i32("batch", batch).i32("in", in).i32("out", out));
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        int batch = x.dim(0), in = x.dim(1), out = w.dim(0);
        if (dx != null) {
            kernels.launch(Kernel.LINEAR_BACKWARD_INPUT, dtype, gemmBlocks(batch, in), args().tensor("dy", dy)
                    .tensor("w", w).tensor("dx", dx).i32("batch", batch).i32("in", in).i32("out", out));
        }
        if (dw != null) {
            kernels.launch(Kernel.LINEAR_BACKWARD_WEIGHT, dtype, gemmBlocks(out, in), args().tensor("dy", dy)
                    .tensor("x", x).tensor("dw", dw).i32("batch", batch).i32("in", in).i32("out", out));
        }
        if (db != null) {
            elementwise(Kernel.LINEAR_BACKWARD_BIAS, out, args().tensor("dy", dy).tensor("db", db)
                    .i32("batch", batch).i32("out", out));
        }
    }

    /** One block per 16 x 16 output tile (kernels/dense.cu). */
    private static int gemmBlocks(int rows, int cols) {
        int tile = 16;
        return Math.max(1, ((rows + tile - 1) / tile) * ((cols + tile - 1) / tile));
    }

    // ---- convolution -----------------------------------------------------------------------
    @Override
    public void conv1d(Tensor x, Tensor w, Tensor b, int pad, Tensor y) {
        conv2d(as2d(x), as2d(w), b, 0, pad, as2d(y));
    }

    @Override
    public void conv1dBackward(Tensor x, Tensor w, Tensor dy, int pad, Tensor dx, Tensor dw, Tensor db) {
        conv2dBackward(as2d(x), as2d(w), as2d(dy), 0, pad, dx == null ? null : as2d(dx), dw == null ? null : as2d(dw), db);
    }

    /** [A, B, L] as [A, B, 1, L]: conv1d is conv2d with H = KH = 1, as on the CPU. */
    private static Tensor as2d(Tensor t) {
        return t.reshape(t.dim(0), t.dim(1), 1, t.dim(2));
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor b, int padH, int padW, Tensor y) {
        kernels.launch(Kernel.CONV2D_FORWARD, dtype, LaunchGeometry.elementwiseBlocks(y.size()),
                convDims(args().tensor("x", x).tensor("w", w).optional("b", b).tensor("y", y), x, w, padH, padW));
    }

    @Override
    public void conv2dBackward(Tensor x, Tensor w, Tensor dy, int padH, int padW, Tensor dx, Tensor dw, Tensor db) {
        if (dx != null) {
            kernels.launch(Kernel.CONV2D_BACKWARD_INPUT, dtype, LaunchGeometry.elementwiseBlocks(dx.size()),
                    convDims(args().tensor("w", w).tensor("dy", dy).tensor("dx", dx), x, w, padH, padW));
        }
        if (dw != null && dw.size() > 0) { // one block per weight element
            kernels.launch(Kernel.CONV2D_BACKWARD_WEIGHT, dtype, dw.size(),
                    convDims(args().tensor("x", x).tensor("dy", dy).tensor("dw", dw), x, w, padH, padW));
        }
        if (db != null && db.size() > 0) { // one block per output channel
            kernels.launch(Kernel.CONV2D_BACKWARD_BIAS, dtype, db.size(),
                    convDims(args().tensor("dy", dy).tensor("db", db), x, w, padH, padW));
        }
    }

    /** The eleven sizes of kernels/convolution.cu's CONV_PARAMS, x[B,Cin,H,W], w[Cout,Cin,KH,KW]. */
    private static KernelArgs convDims(KernelArgs a, Tensor x, Tensor w, int padH, int padW) {
        int h = x.dim(2), wd = x.dim(3), kh = w.dim(2), kw = w.dim(3);
        return a.i32("batch", x.dim(0)).i32("cin", x.dim(1)).i32("h", h).i32("w", wd).i32("cout", w.dim(0))
                .i32("kh", kh).i32("kw", kw).i32("padH", padH).i32("padW", padW)
                .i32("oh", h + 2 * padH - kh + 1).i32("ow", wd + 2 * padW - kw + 1);
    }

    // ---- normalisation and pooling ---------------------------------------------------------
    @Override
    public void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor y, Tensor mean, Tensor invStd) {
        int channels = x.dim(1);
        if (channels == 0) return;
        kernels.launch(Kernel.BATCH_NORM_FORWARD, dtype, channels, args().tensor("x", x).tensor("gamma", gamma)
                .tensor("beta", beta).f64("eps", eps).tensor("y", y).tensor("mean", mean).tensor("invStd", invStd)
                .i32("batch", x.dim(0)).i32("channels", channels).i32("spatial", spatial(x)));
    }

    @Override
    public void batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, double eps, Tensor y) {
        elementwise(Kernel.BATCH_NORM_INFERENCE, x.size(), args().tensor("x", x).tensor("gamma", gamma).tensor("beta", beta)
                .tensor("mean", mean).tensor("var", var).f64("eps", eps).tensor("y", y)
                .i32("batch", x.dim(0)).i32("channels", x.dim(1)).i32("spatial", spatial(x)));
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor invStd, Tensor dy,
                                  Tensor dx, Tensor dgamma, Tensor dbeta) {
        int channels = x.dim(1);
        if (channels == 0 || (dx == null && dgamma == null && dbeta == null)) return;
        kernels.launch(Kernel.BATCH_NORM_BACKWARD, dtype, channels, args().tensor("x", x).tensor("gamma", gamma)
                .tensor("mean", mean).tensor("invStd", invStd).tensor("dy", dy).optional("dx", dx)
                .optional("dgamma", dgamma).optional("dbeta", dbeta)
                .i32("batch", x.dim(0)).i32("channels", channels).i32("spatial", spatial(x)));
    }

    /** S of the [B, C, S] view, as CpuBatchNorm: 1 for dense features. */
    private static int spatial(Tensor x) {
        return x.rank() <= 2 ? 1 : x.size() / (x.dim(0) * x.dim(1));
    }

    @Override
    public void maxPool2d(Tensor x, int kh, int kw, Tensor y) {
        elementwise(Kernel.MAX_POOL2D_FORWARD, y.size(), poolDims(args().tensor("x", x).tensor("y", y), x, y, kh, kw));
    }

    @Override
    public void maxPool2dBackward(Tensor x, int kh, int kw, Tensor dy, Tensor dx) {
        if (dx == null) return;
        elementwise(Kernel.MAX_POOL2D_BACKWARD, dy.size(),
                poolDims(args().tensor("x", x).tensor("dy", dy).tensor("dx", dx), x, dy, kh, kw));
    }

    private static KernelArgs poolDims(KernelArgs a, Tensor x, Tensor y, int kh, int kw) {
        return a.i32("planes", x.dim(0) * x.dim(1)).i32("h", x.dim(2)).i32("w", x.dim(3))
                .i32("oh", y.dim(2)).i32("ow", y.dim(3)).i32("kh", kh).i32("kw", kw);
    }

    // ---- positional encoding ---------------------------------------------------------------
    @Override
    public void positionalEncoding(Tensor x, int frequencies, Tensor y) {
        elementwise(Kernel.POSITIONAL_ENCODING_FORWARD, x.size(), args().tensor("x", x).tensor("y", y)
                .i32("n", x.size()).i32("frequencies", frequencies));
    }

    @Override
    public void positionalEncodingBackward(Tensor x, int frequencies, Tensor dy, Tensor dx) {
        if (dx == null) return;
        elementwise(Kernel.POSITIONAL_ENCODING_BACKWARD, x.size(), args().tensor("x", x).tensor("dy", dy).tensor("dx", dx)
                .i32("n", x.size()).i32("frequencies", frequencies));
    }

    // ---- losses ----------------------------------------------------------------------------
    @Override
    public void rowMeanSquaredError(Tensor a, Tensor b, Tensor loss) {
        int rows = loss.size();
        if (rows == 0) return;
        // one block per row (kernels/losses.cu)
        kernels.launch(Kernel.ROW_MSE_FORWARD, dtype, rows, args().tensor("a", a).tensor("b", b).tensor("loss", loss)
                .i32("m", a.size() / rows));
    }

    @Override
    public void rowMeanSquaredErrorBackward(Tensor a, Tensor b, Tensor dloss, Tensor da) {
        int rows = dloss.size();
        if (da == null || rows == 0) return;
        elementwise(Kernel.ROW_MSE_BACKWARD, da.size(), args().tensor("a", a).tensor("b", b).tensor("dloss", dloss)
                .tensor("da", da).i32("n", da.size()).i32("m", a.size() / rows));
    }

    // ---- optimiser vector work -------------------------------------------------------------
    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, int step, double gradScale) {
        // bias corrections in double on the host, as CpuBackend computes them
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        elementwise(Kernel.ADAM_UPDATE, param.size(), args().tensor("param", param).tensor("grad", grad).tensor("m", m)
                .tensor("v", v).scalar("lr", lr).scalar("beta1", beta1).scalar("beta2", beta2).scalar("eps", eps)
                .scalar("c1", c1).scalar("c2", c2).scalar("gradScale", gradScale).i32("n", param.size()));
    }

    // ---- launch helpers --------------------------------------------------------------------
    private void elementwise(Kernel k, int n, KernelArgs a) {
        kernels.launch(k, dtype, LaunchGeometry.elementwiseBlocks(n), a);
    }

    private TensorArgs args() {
        return new TensorArgs();
    }

    /** {@link KernelArgs} that also take tensors of this backend (by device address of their view). */
    private final class TensorArgs extends KernelArgs {
        TensorArgs() {
            super(dtype);
        }

        TensorArgs tensor(String name, Tensor t) {
            pointer(name, address(t), describe(t));
            return this;
        }

        /** A gradient or bias that may be null; the kernel skips a null pointer. */
        TensorArgs optional(String name, Tensor t) {
            if (t == null) pointer(name, NULL, "null");
            else tensor(name, t);
            return this;
        }

        @Override
        public TensorArgs scalar(String name, double value) {
            super.scalar(name, value);
            return this;
        }

        @Override
        public TensorArgs i32(String name, int value) {
            super.i32(name, value);
            return this;
        }

        @Override
        public TensorArgs f64(String name, double value) {
            super.f64(name, value);
            return this;
        }

        @Override
        public TensorArgs pointer(String name, CUdeviceptr p, String what) {
            super.pointer(name, p, what);
            return this;
        }
    }

    private CudaStorage storage(Tensor t) {
        if (t.backend() != this || !(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " does not live on " + name());
        }
        return s;
    }

    private CUdeviceptr address(Tensor t) {
        return storage(t).at(t.offset());
    }

    private long bytes(Tensor t) {
        return (long) t.size() * dtype.bytes();
    }

    /** e.g. {@code f32[64, 20]}, for error messages. */
    private String describe(Tensor t) {
        return dtype.suffix() + Arrays.toString(t.shape());
    }

    /** Frees the pool's cached blocks, unloads the kernels and releases the primary context. */
    @Override
    public void close() {
        reduction.release();
        pool.trim();
        kernels.close();
        device.close();
    }
}
