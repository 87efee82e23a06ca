package dev.reparam.cuda;

import dev.reparam.tensor.AdamSteps;
import dev.reparam.tensor.LrSchedule;
import dev.reparam.tensor.Tensor;

/**
 * Adam's step bookkeeping on the device (kernels/adam.cu): a step queues the gradient's sum of
 * squares (the deterministic two-pass reduction), adam_prepare (one thread: norm, clip scale, step
 * count, bias corrections with the schedule's factor folded in, or the failed flag) and
 * adam_apply (the update, reading those from device memory). Nothing is read back, so the step
 * can be captured in a CUDA graph; the host reads the six doubles of state only when asked
 * ({@link #status}).
 */
final class CudaAdam implements AdamSteps {
    /** Layout of the state, as the #defines in kernels/adam.cu. */
    static final int STEP = 0, FAILED = 4, FAILED_NORM = 5, STATE_LENGTH = 6;

    private final CudaBackend backend;
    private final Tensor params, grads, m, v;
    private final double lr, beta1, beta2, eps, maxGradNorm;
    private final LrSchedule schedule;
    private final CudaStorage state;

    CudaAdam(CudaBackend backend, Tensor params, Tensor grads, Tensor m, Tensor v, double lr, double beta1,
            double beta2, double eps, double maxGradNorm, LrSchedule schedule) {
        this.backend = backend;
        this.params = params;
        this.grads = grads;
        this.m = m;
        this.v = v;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.maxGradNorm = maxGradNorm;
        this.schedule = schedule;
        this.state = backend.longLivedF64(STATE_LENGTH);
        backend.writeF64(new double[STATE_LENGTH], state);
    }

    @Override
    public void queueStep() {
        backend.reductions().queue(Kernel.SUM_OF_SQUARES_PARTIALS, grads);
        backend.launchF64(Kernel.ADAM_PREPARE, 1, new KernelArgs(CudaDtype.FLOAT64)
                .pointer("sumSq", backend.reductions().result(), "f64[1]")
                .pointer("state", state.at(0), state.toString())
                .f64("beta1", beta1).f64("beta2", beta2).f64("maxNorm", maxGradNorm)
                .i32("decaySteps", schedule.decaySteps()).f64("floor", schedule.floor()));
        int n = params.size();
        backend.elementwise(Kernel.ADAM_APPLY, n, backend.args().tensor("param", params).tensor("grad", grads)
                .tensor("m", m).tensor("v", v).scalar("lr", lr).scalar("beta1", beta1)
                .scalar("beta2", beta2).scalar("eps", eps)
                .pointer("state", state.at(0), state.toString()).i32("n", n));
    }

    @Override
    public Status status() {
        return statusOf(backend.readF64(state, STATE_LENGTH));
    }

    /** The host view of the state array (separate so that the layout is tested without a GPU). */
    static Status statusOf(double[] s) {
        return new Status((int) s[STEP], s[FAILED] != 0, s[FAILED_NORM]);
    }

    @Override
    public void close() {
        state.release();
    }
}
