package dev.reparam.inverse;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.Tensor;

/**
 * A problem set's losses in z through its own {@link ProblemSet#lossAndGradient} on the host
 * ({@link UnconstrainedObjective}: the bound map included, exactly what BFGS minimises): z comes
 * to the host and the losses go back; the gradient stays on the host for the chain rule. What {@link
 * ProblemSet#batchedLoss} gives for problems without a device implementation on the backend.
 */
final class HostProblemLoss implements BatchedLoss {
    private final UnconstrainedObjective objective;
    private final int[] all;
    private final double[] gradient;

    HostProblemLoss(ProblemSet problems, Bounds bounds) {
        this.objective = new UnconstrainedObjective(bounds == problems.bounds() ? problems
                : new Rebounded(problems, bounds));
        this.all = ProblemSets.all(problems.size());
        this.gradient = new double[problems.size() * problems.dim()];
    }

    @Override
    public Tensor evaluate(Tensor z) {
        double[] loss = new double[all.length];
        objective.evaluate(all, z.toHost(), loss, gradient);
        return z.backend().fromHost(loss, all.length);
    }

    /** From the last evaluation's gradient, kept on the host. */
    @Override
    public void chain(Tensor upstream, Tensor dz) {
        Backend b = dz.backend();
        double[] u = upstream.toHost();
        int dim = objective.dim();
        double[] d = new double[gradient.length];
        for (int i = 0; i < d.length; i++) d[i] = u[i / dim] * gradient[i];
        b.axpy(1.0, b.fromHost(d, dz.shape()), dz);
    }

    @Override
    public boolean capturable() {
        return false;
    }
}
