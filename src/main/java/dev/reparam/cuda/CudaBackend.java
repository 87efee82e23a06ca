package dev.reparam.cuda;

import dev.reparam.tensor.Activation;
import dev.reparam.tensor.AdamSteps;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.IterationRunner;
import dev.reparam.tensor.LbfgsVectors;
import dev.reparam.tensor.LrSchedule;
import dev.reparam.tensor.Tensor;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * The {@link Backend} on an NVIDIA GPU: tensors live in pooled device memory of one dtype
 * (float64 or float32), and every op is one or a few launches of our kernels (kernels/, loaded
 * from the jar's fatbins) on the backend's own stream. Host copies happen only in fromHost,
 * copyFromHost, toHost, the two whole-tensor sums (one double back each), and the first upload
 * of each distinct scaledTanh constant array (cached afterwards). Launch-time errors name the
 * kernel and its arguments; faults while a kernel runs surface at the next synchronising call (a
 * copy to the host, or {@link #synchronize}). Not thread-safe: one thread drives a backend.
 *
 * <p>This class is the op set and the factories. What the ops run on is elsewhere: the device,
 * its stream, kernels and memory pool are a {@link CudaContext}; sums go through
 * {@link CudaReductions}, scaledTanh's constant arrays through {@link DeviceConstants}, graph
 * capture through {@link CudaIterations}, and code outside the backend gets device memory from
 * {@link #memory()}. The stream is a blocking one, so the synchronous host-to-device copies here
 * are ordered after our queued work and our later work after them. Host reads synchronise the
 * stream first. During graph capture such a copy, or any host read, is refused by the driver,
 * which is how a host round trip inside a captured iteration is caught instead of silently baked
 * into the graph.
 */
public final class CudaBackend implements Backend {
    private static final CUdeviceptr NULL = new CUdeviceptr();

    private final CudaContext context;
    // the context's parts, named as every op uses them
    private final LoadedKernels kernels;
    private final CUstream stream;
    private final BlockPool<CUdeviceptr> pool;
    /** The pool as simulators see it: dedicated blocks for their long-lived buffers. */
    private final DeviceMemory memory;
    private final CudaDtype dtype;
    private final CudaReductions reductions;
    private final DeviceConstants constants = new DeviceConstants(this);
    private boolean graphs = true;
    private Consumer<String> notices = System.err::println;
    /** cuBLAS or our tiled kernel, picked when the backend opens (see {@link Gemm}). */
    private final Gemm gemm;

    private CudaBackend(CudaContext context, CudaDtype dtype) {
        this.context = context;
        this.kernels = context.kernels();
        this.stream = context.stream();
        this.pool = context.pool();
        this.memory = new DeviceMemory(pool, false);
        this.dtype = dtype;
        // first: it may throw (-Dreparam.gemm=cublas), before anything is allocated
        this.gemm = Gemm.open(kernels, dtype, stream);
        this.reductions = new CudaReductions(this, context);
    }

    /** Opens device 0 and loads the kernels; fails with the reason when CUDA is not available. */
    public static CudaBackend open(CudaDtype dtype) {
        return open(dtype, 0);
    }

    /** As {@link #open(CudaDtype)}, on the device of this node's {@code localRank}-th process (an MPI rank's). */
    public static CudaBackend open(CudaDtype dtype, int localRank) {
        CudaAvailability a = CudaAvailability.probe();
        if (!a.available()) throw new IllegalStateException("the CUDA backend is unavailable: " + a.detail());
        CudaContext context = CudaContext.open(localRank);
        try {
            return new CudaBackend(context, dtype);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuda-" + dtype.suffix();
    }

    public CudaDtype dtype() { return dtype; }

    @Override
    public String dtypeName() {
        return dtype.name().toLowerCase(Locale.ROOT);
    }

    public CudaDevice device() { return context.device(); }

    /** Which GEMM this backend uses and, for the tiled kernel, why, e.g. {@code gemm: cuBLAS 12.6.3}. */
    public String gemmReport() { return gemm.report(); }

    @Override
    public int elementBytes() {
        return dtype.bytes();
    }

    /** L-BFGS vectors on this device, in this backend's dtype (see {@link CudaLbfgsVectors}). */
    @Override
    public LbfgsVectors lbfgsVectors(int n, int dim, int m, double[] x0) {
        return new CudaLbfgsVectors(kernels, memory, dtype, n, dim, m, x0);
    }

    /** Device memory for code that runs its own kernels on this backend (a simulator's solver), from its pool. */
    public DeviceMemory memory() { return memory; }

    /** The loaded kernel modules, for solvers that launch their own kernels on this backend's context. */
    public LoadedKernels kernels() { return kernels; }

    /** Hands t's storage back to the pool now; every view of it is dead afterwards. */
    @Override
    public void release(Tensor t) {
        storage(t).release();
    }

    /** Pool counters: allocations stop growing once the iterations are warmed up. */
    public BlockPool.Stats poolStats() {
        return pool.stats();
    }

    /** How many blocks the memory pool has taken from cuMemAlloc so far (flat once iterations are warmed up). */
    public long driverAllocations() {
        return pool.stats().allocations();
    }

    /** Waits for queued kernels; a fault in one surfaces here. */
    public void synchronize() {
        context.synchronize("kernels queued by " + name());
    }

    /** Waits for this backend's stream, before the host reads what it wrote. */
    private void syncStream(String before) {
        context.syncStream(before);
    }

    /** Whether {@link #iterationRunner} captures iterations as CUDA graphs (default true; {@code --cuda-graphs}). */
    public void setGraphs(boolean on) {
        this.graphs = on;
    }

    public boolean graphs() {
        return graphs;
    }

    /** Where one-line notices go (a graph capture that failed and fell back); default stderr. */
    public void setNotices(Consumer<String> notices) {
        this.notices = notices;
    }

    /**
     * Iterations in a memory scope each (their temporaries go back to the pool at the end, so the
     * steady state allocates nothing), captured once as a CUDA graph and replayed when graphs
     * are on and the body is recordable.
     */
    @Override
    public IterationRunner iterationRunner(boolean recordable) {
        return new CudaIterations(this, graphs && recordable, notices);
    }

    /** Adam's bookkeeping on the device ({@link CudaAdam}): a step reads nothing back. */
    @Override
    public AdamSteps adam(Tensor params, Tensor grads, Tensor m, Tensor v, double lr, double beta1, double beta2,
                          double eps, double maxGradNorm, LrSchedule schedule) {
        return new CudaAdam(this, params, grads, m, v, lr, beta1, beta2, eps, maxGradNorm, schedule);
    }

    /** Supervised training's loss on this device ({@link CudaParameterError}). */
    @Override
    public BatchedLoss parameterError(Bounds bounds, double[] truth) {
        return new CudaParameterError(this, bounds, truth);
    }

    /** The stream all of this backend's work goes to (public for timers that record events on it). */
    public CUstream stream() { return stream; }

    // ---- the launch API: for this package's ops and for simulators' device code (their losses and solvers)

    BlockPool<CUdeviceptr> pool() { return pool; }

    /** A launch of {@code kernel} in this backend's dtype on its stream. */
    public void launch(Kernel kernel, int blocks, KernelArgs a) {
        kernels.launch(kernel, dtype, blocks, a);
    }

    /** A launch of a kernel with a single (float64) variant on this backend's stream. */
    public void launchF64(Kernel kernel, int blocks, KernelArgs a) {
        kernels.launch(kernel, CudaDtype.FLOAT64, blocks, a);
    }

    /** A tensor that outlives any iteration scope (constants, optimiser state). */
    public Tensor longLived(int... shape) {
        return Tensor.on(this, new CudaStorage(pool, Tensor.sizeOf(shape), dtype, true), 0, shape);
    }

    /** float64 device storage outside any scope, whatever this backend's dtype (optimiser bookkeeping). */
    public CudaStorage longLivedF64(int length) {
        return new CudaStorage(pool, length, CudaDtype.FLOAT64, true);
    }

    /** Copies {@code length} doubles of float64 storage to the host, after the stream's queued work. */
    public double[] readF64(CudaStorage s, int length) {
        double[] out = new double[length];
        syncStream("reading " + s);
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), s.at(0), (long) length * Double.BYTES),
                "cuMemcpyDtoH(" + s + ")");
        return out;
    }

    /** Writes doubles into float64 storage (outside iterations: a synchronous copy). */
    public void writeF64(double[] values, CudaStorage s) {
        check(JCudaDriver.cuMemcpyHtoD(s.at(0), Pointer.to(values), (long) values.length * Double.BYTES),
                "cuMemcpyHtoD(" + s + ")");
    }

    // ---- memory ----------------------------------------------------------------------------
    @Override
    public Tensor zeros(int... shape) {
        Tensor t = allocate(shape);
        if (t.size() > 0) {
            check(JCudaDriver.cuMemsetD8Async(address(t), (byte) 0, bytes(t), stream),
                    "cuMemsetD8Async(" + describe(t) + ", 0)");
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
        syncStream(what);
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
        // synchronous, on the legacy stream: ordered after our queued work and before our next (see the class comment)
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
        check(JCudaDriver.cuMemcpyDtoDAsync(address(dst), address(src), bytes(src), stream),
                "cuMemcpyDtoDAsync(" + describe(src) + " to " + describe(dst) + ")");
    }

    @Override
    public void fill(Tensor t, double value) {
        elementwise(Kernel.FILL, t.size(), args().tensor("t", t).scalar("value", value).i32("n", t.size()));
    }

    // ---- elementwise -----------------------------------------------------------------------
    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise(Kernel.ADD, out.size(), args().tensor("a", a).tensor("b", b).tensor("out", out)
                .i32("n", out.size()));
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        elementwise(Kernel.AXPY, y.size(), args().scalar("alpha", alpha).tensor("x", x).tensor("y", y)
                .i32("n", y.size()));
    }

    @Override
    public void scale(Tensor x, double alpha, Tensor out) {
        elementwise(Kernel.SCALE, out.size(), args().tensor("x", x).scalar("alpha", alpha).tensor("out", out)
                .i32("n", out.size()));
    }

    @Override
    public double sum(Tensor x) {
        return reductions.sum(Kernel.SUM_PARTIALS, x);
    }

    @Override
    public double sumOfSquares(Tensor x) {
        return reductions.sum(Kernel.SUM_OF_SQUARES_PARTIALS, x);
    }

    /** The sums' buffer, for device code that keeps a sum on the device (device Adam's gradient norm). */
    CudaReductions reductions() { return reductions; }

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
        elementwise(Kernel.SCALED_TANH_FORWARD, xi.size(), args().tensor("z", z).tensor("mid", constants.of(mid))
                .tensor("half", constants.of(half)).tensor("xi", xi).i32("n", xi.size()).i32("d", mid.length));
    }

    @Override
    public void scaledTanhBackward(Tensor z, double[] half, Tensor dxi, Tensor dz) {
        if (dz == null) return;
        elementwise(Kernel.SCALED_TANH_BACKWARD, dz.size(),
                args().tensor("z", z).tensor("half", constants.of(half)).tensor("dxi", dxi)
                .tensor("dz", dz).i32("n", dz.size()).i32("d", half.length));
    }

    // ---- dense -----------------------------------------------------------------------------
    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        gemm.engine().forward(operand(x), operand(w), b == null ? DeviceOperand.NONE : operand(b), operand(y),
                x.dim(0), x.dim(1), w.dim(0));
    }

    @Override
    public void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        int batch = x.dim(0), in = x.dim(1), out = w.dim(0);
        if (dx != null) gemm.engine().backwardInput(operand(dy), operand(w), operand(dx), batch, in, out);
        if (dw != null) gemm.engine().backwardWeight(operand(dy), operand(x), operand(dw), batch, in, out);
        if (db != null) {
            elementwise(Kernel.LINEAR_BACKWARD_BIAS, out, args().tensor("dy", dy).tensor("db", db)
                    .i32("batch", batch).i32("out", out));
        }
    }

    private DeviceOperand operand(Tensor t) {
        return new DeviceOperand(address(t), describe(t));
    }

    // ---- convolution -----------------------------------------------------------------------
    @Override
    public void conv1d(Tensor x, Tensor w, Tensor b, int pad, Tensor y) {
        conv2d(as2d(x), as2d(w), b, 0, pad, as2d(y));
    }

    @Override
    public void conv1dBackward(Tensor x, Tensor w, Tensor dy, int pad, Tensor dx, Tensor dw, Tensor db) {
        conv2dBackward(as2d(x), as2d(w), as2d(dy), 0, pad, dx == null ? null : as2d(dx), dw == null ? null : as2d(dw),
                db);
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
        elementwise(Kernel.BATCH_NORM_INFERENCE, x.size(), args().tensor("x", x).tensor("gamma", gamma)
                .tensor("beta", beta).tensor("mean", mean).tensor("var", var).f64("eps", eps).tensor("y", y)
                .i32("batch", x.dim(0)).i32("channels", x.dim(1)).i32("spatial", spatial(x)));
    }

    /** On the device (the interface's default reads the statistics back to the host). */
    @Override
    public void batchNormRunningUpdate(Tensor mean, Tensor invStd, double eps, double momentum, int count,
                                       Tensor runningMean, Tensor runningVar) {
        double unbias = count > 1 ? count / (count - 1.0) : 1.0;
        elementwise(Kernel.BATCH_NORM_RUNNING_UPDATE, mean.size(), args().tensor("mean", mean).tensor("invStd", invStd)
                .tensor("runningMean", runningMean).tensor("runningVar", runningVar).f64("momentum", momentum)
                .f64("eps", eps).f64("unbias", unbias).i32("channels", mean.size()));
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
        elementwise(Kernel.POSITIONAL_ENCODING_BACKWARD, x.size(),
                args().tensor("x", x).tensor("dy", dy).tensor("dx", dx)
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
    /** A launch of {@code k} over n elements (one thread each) in this backend's dtype. */
    public void elementwise(Kernel k, int n, KernelArgs a) {
        kernels.launch(k, dtype, LaunchGeometry.elementwiseBlocks(n), a);
    }

    /** Arguments for a launch on this backend: scalars in its dtype, tensors by device address. */
    public TensorArgs args() {
        return new TensorArgs();
    }

    /** {@link KernelArgs} that also take tensors of this backend (by device address of their view). */
    public final class TensorArgs extends KernelArgs {
        TensorArgs() {
            super(dtype);
        }

        public TensorArgs tensor(String name, Tensor t) {
            pointer(name, address(t), describe(t));
            return this;
        }

        /** A gradient or bias that may be null; the kernel skips a null pointer. */
        public TensorArgs optional(String name, Tensor t) {
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

    /** Returns this backend's own device memory, then closes the context (pool, kernels, stream, device). */
    @Override
    public void close() {
        syncStream("closing " + name());
        constants.close();
        reductions.close();
        gemm.engine().close();
        context.close();
    }
}
