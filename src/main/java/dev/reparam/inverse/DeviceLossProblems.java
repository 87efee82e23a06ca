package dev.reparam.inverse;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.Tensor;

import java.util.function.Function;

/**
 * Problems placed on a backend through a {@link DeviceLoss} over all of them (one kernel
 * launch for every problem): the networks get that loss; BFGS's {@link #lossAndGradient} on a
 * subset of the problems goes through the same loss under the identity bound map (z = xi), with
 * the rows not asked for left at their last point. Evaluating every problem for a subset costs
 * nothing extra on a GPU, where the launch is one either way. For simulators whose device kernel
 * works on the whole batch (wave packet, billiards); those with a per-row device solver implement
 * {@link PlacedProblems} themselves.
 */
public final class DeviceLossProblems extends ForwardingProblemSet implements PlacedProblems {
    private final Backend backend;
    private final Function<Bounds, DeviceLoss> losses;
    /** The loss in xi and its tensors for lossAndGradient, made at its first call. */
    private DeviceLoss inXi;
    private Tensor z, loss, gradient;
    private double[] points;

    /** {@code losses}: the device loss of all problems under given bounds (called once per solve and once here). */
    public DeviceLossProblems(ProblemSet problems, Backend backend, Function<Bounds, DeviceLoss> losses) {
        super(problems);
        this.backend = backend;
        this.losses = losses;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The device loss on this placement's backend; on any other the host path. */
    @Override
    public BatchedLoss batchedLoss(Backend on, Bounds bounds) {
        return on == backend ? losses.apply(bounds) : base.batchedLoss(on, bounds);
    }

    @Override
    public void lossAndGradient(int[] rows, double[] xi, double[] out, double[] grad) {
        int n = size(), dim = dim();
        if (inXi == null) {
            inXi = losses.apply(Bounds.unbounded(dim));
            points = new double[n * dim];
            double[] start = initialGuess();
            for (int i = 0; i < n; i++) System.arraycopy(start, 0, points, i * dim, dim);
            z = backend.zeros(n, dim);
            loss = backend.zeros(n);
            gradient = backend.zeros(n, dim);
        }
        for (int j = 0; j < rows.length; j++) System.arraycopy(xi, j * dim, points, rows[j] * dim, dim);
        backend.copyFromHost(points, z);
        inXi.evaluate(z, loss, gradient);
        double[] l = loss.toHost(), g = gradient.toHost();
        for (int j = 0; j < rows.length; j++) {
            out[j] = l[rows[j]];
            System.arraycopy(g, rows[j] * dim, grad, j * dim, dim);
        }
    }

    @Override
    public void close() {
        if (z == null) return;
        backend.release(z);
        backend.release(loss);
        backend.release(gradient);
        z = null;
    }
}
