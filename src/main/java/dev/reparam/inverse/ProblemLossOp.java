package dev.reparam.inverse;

import dev.reparam.autodiff.DifferentiableOp;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

/**
 * The problems' losses as a tape op: z[n, dim] -> L[n], with the problem set's own gradient as the
 * adjoint. It goes through {@link UnconstrainedObjective}, so the networks optimise exactly the
 * function BFGS does (bounds included).
 */
final class ProblemLossOp implements DifferentiableOp {
    private final UnconstrainedObjective objective;
    private final int[] all;
    private final double[] gradient;

    ProblemLossOp(ProblemSet problems) {
        this.objective = new UnconstrainedObjective(problems);
        this.all = ProblemSets.all(problems.size());
        this.gradient = new double[problems.size() * problems.dim()];
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        Tensor z = inputs[0];
        double[] loss = new double[all.length];
        objective.evaluate(all, z.toHost(), loss, gradient);
        return z.backend().fromHost(loss, all.length);
    }

    @Override
    public void backward(Tensor[] inputs, Tensor output, Tensor gradOutput, Tensor[] gradInputs) {
        if (gradInputs[0] == null) return;
        Backend b = output.backend();
        double[] upstream = gradOutput.toHost();
        int dim = objective.dim();
        double[] dz = new double[gradient.length];
        for (int i = 0; i < dz.length; i++) dz[i] = upstream[i / dim] * gradient[i];
        b.axpy(1.0, b.fromHost(dz, gradInputs[0].shape()), gradInputs[0]);
    }
}
