package dev.reparam.inverse;

import dev.reparam.autodiff.DifferentiableOp;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

/**
 * The problems' losses as a tape op: z[n, dim] -> L[n], with the problem set's own gradient as the
 * adjoint. It goes through {@link UnconstrainedObjective}, so the networks optimise exactly the
 * function BFGS does (bounds included). When the problem set evaluates on the backend's device
 * ({@link DeviceProblemSet}), forward and backward stay there; otherwise z goes to the host and
 * the loss and gradient come back.
 */
final class ProblemLossOp implements DifferentiableOp {
    private final UnconstrainedObjective objective;
    private final int[] all;
    private final double[] gradient;
    /** The device path, or null for the host path. */
    private final DeviceLoss device;
    /** The gradient in z of the last forward on the device, read by the backward that follows it. */
    private Tensor deviceGradient;

    /** The host path only. */
    ProblemLossOp(ProblemSet problems) {
        this(problems, null);
    }

    /** The device path when the problem set has one for {@code backend} (null: host path). */
    ProblemLossOp(ProblemSet problems, Backend backend) {
        this.objective = new UnconstrainedObjective(problems);
        this.all = ProblemSets.all(problems.size());
        this.gradient = new double[problems.size() * problems.dim()];
        this.device = backend != null && problems instanceof DeviceProblemSet d ? d.deviceLoss(backend, problems.bounds()) : null;
    }

    /** Whether the losses are evaluated on the backend's device. */
    boolean onDevice() {
        return device != null;
    }

    /**
     * Whether an iteration around this op reads nothing back, so a GPU backend may record it: the
     * losses on the device, by a loss that only queues work ({@link DeviceLoss#capturable}).
     */
    boolean recordable() {
        return device != null && device.capturable();
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        Tensor z = inputs[0];
        Backend b = z.backend();
        if (device != null) {
            Tensor loss = b.zeros(all.length);
            deviceGradient = b.zeros(z.shape());
            device.evaluate(z, loss, deviceGradient);
            return loss;
        }
        double[] loss = new double[all.length];
        objective.evaluate(all, z.toHost(), loss, gradient);
        return b.fromHost(loss, all.length);
    }

    @Override
    public void backward(Tensor[] inputs, Tensor output, Tensor gradOutput, Tensor[] gradInputs) {
        if (gradInputs[0] == null) return;
        if (device != null) {
            device.chain(gradOutput, deviceGradient, gradInputs[0]);
            return;
        }
        Backend b = output.backend();
        double[] upstream = gradOutput.toHost();
        int dim = objective.dim();
        double[] dz = new double[gradient.length];
        for (int i = 0; i < dz.length; i++) dz[i] = upstream[i / dim] * gradient[i];
        b.axpy(1.0, b.fromHost(dz, gradInputs[0].shape()), gradInputs[0]);
    }
}
