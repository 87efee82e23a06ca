package dev.reparam.tensor;

/**
 * The op set every backend implements: memory, elementwise arithmetic, the layer kernels and
 * their backward passes. Each method is one kernel (one launch on a GPU backend), batched over
 * the leading dimension. Conventions, shared by all backends:
 * <ul>
 *   <li>forward ops overwrite their output;</li>
 *   <li>backward ops <b>accumulate</b> ({@code +=}) into gradient tensors, so a value used twice
 *       gets the sum of both contributions; a gradient argument may be {@code null}, meaning
 *       that gradient is not wanted and need not be computed;</li>
 *   <li>shapes are checked by the caller (the autodiff ops in {@code dev.reparam.nn}); kernels
 *       assume them;</li>
 *   <li>results are deterministic: reductions over the batch are done in a fixed order, so the
 *       same inputs give bit-identical outputs whatever the thread count.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {
    String name();

    /**
     * Releases what the backend holds (a GPU's context, streams and memory pool); the CPU
     * backend holds nothing. Whoever opened a backend closes it, after every problem set on it.
     */
    @Override
    default void close() {
    }

    /** The element type its tensors hold, as the command line spells it (float64 on the CPU). */
    default String dtypeName() {
        return "float64";
    }

    /** Bytes per element of its tensors (8 on the CPU). */
    default int elementBytes() {
        return Double.BYTES;
    }

    /**
     * Hands t's memory back now instead of when t is unreachable (a GPU's pool); every view of
     * it is dead afterwards. The CPU backend leaves it to the garbage collector.
     */
    default void release(Tensor t) {
    }

    // ---- memory ----------------------------------------------------------------------------
    Tensor zeros(int... shape);

    Tensor fromHost(double[] data, int... shape);

    double[] toHost(Tensor t);

    /** Writes {@code data} into {@code t} (host-to-device on GPU backends). */
    void copyFromHost(double[] data, Tensor t);

    void copy(Tensor src, Tensor dst);

    void fill(Tensor t, double value);

    // ---- elementwise -----------------------------------------------------------------------
    /** out = a + b (same shapes). */
    void add(Tensor a, Tensor b, Tensor out);

    /** y += alpha * x. */
    void axpy(double alpha, Tensor x, Tensor y);

    /** out = alpha * x. */
    void scale(Tensor x, double alpha, Tensor out);

    /** Sum of all elements. */
    double sum(Tensor x);

    /** Sum of squares of all elements. */
    double sumOfSquares(Tensor x);

    // ---- activations -----------------------------------------------------------------------
    void activation(Activation kind, Tensor x, Tensor y);

    /** dx += f'(x) * dy, with y = f(x) given so sigmoid and tanh need no recomputation. */
    void activationBackward(Activation kind, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /**
     * Bounded output map xi = mid + half * tanh(z), column-wise: z and xi are [B, D], mid and half
     * have D elements (host arrays: they are constants of the problem, not tensors).
     */
    void scaledTanh(Tensor z, double[] mid, double[] half, Tensor xi);

    /** dz += half * (1 - tanh(z)^2) * dxi. */
    void scaledTanhBackward(Tensor z, double[] half, Tensor dxi, Tensor dz);

    // ---- dense -----------------------------------------------------------------------------
    /** y[B,Out] = x[B,In] W[Out,In]^T + b[Out] (b may be null). */
    void linear(Tensor x, Tensor w, Tensor b, Tensor y);

    /** dx += dy W; dw += dy^T x; db += sum_b dy. Any gradient may be null. */
    void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db);

    // ---- convolution (stride 1, zero padding, 'same' when padding = (k-1)/2) ------------------
    /** y[B,Cout,Lout] = conv(x[B,Cin,L], w[Cout,Cin,K]) + b[Cout], Lout = L + 2 pad - K + 1. */
    void conv1d(Tensor x, Tensor w, Tensor b, int pad, Tensor y);

    void conv1dBackward(Tensor x, Tensor w, Tensor dy, int pad, Tensor dx, Tensor dw, Tensor db);

    /** y[B,Cout,Hout,Wout] = conv(x[B,Cin,H,W], w[Cout,Cin,KH,KW]) + b[Cout]. */
    void conv2d(Tensor x, Tensor w, Tensor b, int padH, int padW, Tensor y);

    void conv2dBackward(Tensor x, Tensor w, Tensor dy, int padH, int padW, Tensor dx, Tensor dw, Tensor db);

    // ---- normalisation and pooling ---------------------------------------------------------
    /**
     * Batch normalisation with the batch's own statistics over x viewed as [B, C, S] (S = the
     * product of spatial dimensions, 1 for dense features): writes y, the per-channel mean and
     * 1/sqrt(var + eps) (biased variance) for the backward pass.
     */
    void batchNorm(Tensor x, Tensor gamma, Tensor beta, double eps, Tensor y, Tensor mean, Tensor invStd);

    /** Batch normalisation with given (running) statistics, for evaluation mode. */
    void batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, double eps, Tensor y);

    void batchNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor invStd, Tensor dy,
                           Tensor dx, Tensor dgamma, Tensor dbeta);

    /** Max pooling of x[B,C,H,W] over non-overlapping kh x kw windows (floor), y[B,C,H/kh,W/kw]. */
    void maxPool2d(Tensor x, int kh, int kw, Tensor y);

    /** dx += dy routed to the first maximum of each window. */
    void maxPool2dBackward(Tensor x, int kh, int kw, Tensor dy, Tensor dx);

    // ---- positional encoding ---------------------------------------------------------------
    /**
     * y[B, D(1 + 2F)] = [x, sin(2^f pi x), cos(2^f pi x) for f = 0..F-1] per feature (NeRF-style
     * encoding, features grouped per input dimension).
     */
    void positionalEncoding(Tensor x, int frequencies, Tensor y);

    void positionalEncodingBackward(Tensor x, int frequencies, Tensor dy, Tensor dx);

    // ---- losses ----------------------------------------------------------------------------
    /** loss[B] = mean over the row of (a - b)^2. */
    void rowMeanSquaredError(Tensor a, Tensor b, Tensor loss);

    /** da += dloss[b] * 2 (a - b) / rowSize (b is a constant target). */
    void rowMeanSquaredErrorBackward(Tensor a, Tensor b, Tensor dloss, Tensor da);

    // ---- optimiser vector work -------------------------------------------------------------
    /**
     * One Adam step (Kingma & Ba, bias-corrected) on a flat parameter vector: the gradient is
     * multiplied by {@code gradScale} first (gradient-norm clipping), {@code step} counts from 1.
     */
    void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                    double eps, int step, double gradScale);

    /**
     * Adam's bookkeeping for the flat parameter vector {@code params} and its gradient (m and v
     * zero, all on this backend): where it lives decides whether a training iteration reads
     * anything back. The default keeps it on the host ({@link HostAdamSteps}); a GPU backend
     * keeps it on the device.
     */
    default AdamSteps adam(Tensor params, Tensor grads, Tensor m, Tensor v, double lr, double beta1, double beta2,
                           double eps, double maxGradNorm, LrSchedule schedule) {
        return new HostAdamSteps(this, params, grads, m, v, lr, beta1, beta2, eps, maxGradNorm, schedule);
    }

    /**
     * The vector half of batched L-BFGS for n problems of dim unknowns with m correction pairs,
     * starting at x0 (n * dim): on the host by default ({@link LbfgsVectors#HOST}); a GPU backend
     * keeps them on the device in its dtype.
     */
    default LbfgsVectors lbfgsVectors(int n, int dim, int m, double[] x0) {
        return LbfgsVectors.HOST.create(n, dim, m, x0);
    }

    /**
     * Supervised training's loss on this backend: per row j of z, e_j = sum_d ((xi_jd - truth_jd)
     * / half_d)^2 with xi the bound map of z under {@code bounds}, truth[m * dim] the targets
     * (they go to the device once, here). Default: on the host ({@link HostParameterError}).
     */
    default BatchedLoss parameterError(Bounds bounds, double[] truth) {
        return new HostParameterError(bounds, truth);
    }

    // ---- training-loop support (defaults: on the host, run eagerly) --------------------------
    /**
     * Batch norm's running statistics after a training forward pass (PyTorch's rule): per
     * channel, runningMean = (1 - momentum) runningMean + momentum mean and runningVar likewise
     * with the batch variance 1 / invStd^2 - eps made unbiased by count / (count - 1). The default
     * computes on the host (C values); a GPU backend overrides it so nothing is read back.
     */
    default void batchNormRunningUpdate(Tensor mean, Tensor invStd, double eps, double momentum, int count,
                                        Tensor runningMean, Tensor runningVar) {
        double[] m = toHost(mean), inv = toHost(invStd), rm = toHost(runningMean), rv = toHost(runningVar);
        double unbias = count > 1 ? count / (count - 1.0) : 1.0;
        for (int c = 0; c < m.length; c++) {
            double var = 1 / (inv[c] * inv[c]) - eps;
            rm[c] = (1 - momentum) * rm[c] + momentum * m[c];
            rv[c] = (1 - momentum) * rv[c] + momentum * var * unbias;
        }
        copyFromHost(rm, runningMean);
        copyFromHost(rv, runningVar);
    }

    /**
     * How a training loop runs its iterations here; the default runs each one as it comes.
     * {@code recordable}: the loop's body reads nothing back to the host, so a GPU backend may
     * record it once and replay it (see {@link IterationRunner}); false where it does.
     */
    default IterationRunner iterationRunner(boolean recordable) {
        return IterationRunner.eager();
    }
}
