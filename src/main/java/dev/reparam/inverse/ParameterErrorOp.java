package dev.reparam.inverse;

import dev.reparam.autodiff.DifferentiableOp;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

/**
 * The supervised loss as a tape op: z[m, dim] -> e[m], e_j = sum_d ((xi_jd - xi*_jd) / half_d)^2
 * with xi = the bounds' map of z. Dividing by the half-width makes every unknown count in units
 * of its own range, so unknowns of very different scale weigh alike. Going through {@link Bounds}
 * handles bounded (tanh) and unbounded (identity, half = 1) dimensions alike. On a
 * {@link DeviceLossBackend} forward and backward stay on the device (nothing is read back, so
 * Supervised's training step can be recorded); otherwise z goes to the host.
 */
final class ParameterErrorOp implements DifferentiableOp {
    private final Bounds bounds;
    private final double[] truth, half;
    private final double[] xi, jacobian, residual;
    /** The device path, or null for the host path. */
    private final DeviceLoss device;
    /** The gradient in z of the last forward on the device, read by the backward that follows it. */
    private Tensor deviceGradient;

    /** {@code truth[m * dim]}: the targets xi*, row j for example j. The host path. */
    ParameterErrorOp(Bounds bounds, double[] truth) {
        this(bounds, truth, null);
    }

    /** As above, on {@code backend}'s device when it is a {@link DeviceLossBackend} (null: the host path). */
    ParameterErrorOp(Bounds bounds, double[] truth, Backend backend) {
        this.bounds = bounds;
        this.truth = truth.clone();
        this.half = bounds.half();
        this.xi = new double[truth.length];
        this.jacobian = new double[truth.length];
        this.residual = new double[truth.length];
        this.device = backend instanceof DeviceLossBackend d ? d.parameterError(bounds, truth) : null;
    }

    /** Whether the loss is evaluated on the backend's device. */
    boolean onDevice() {
        return device != null;
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        if (device != null) {
            Backend b = inputs[0].backend();
            Tensor e = b.zeros(truth.length / bounds.dim());
            deviceGradient = b.zeros(inputs[0].shape());
            device.evaluate(inputs[0], e, deviceGradient);
            return e;
        }
        double[] z = inputs[0].toHost();
        int dim = bounds.dim(), m = truth.length / dim;
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jacobian);
        double[] e = new double[m];
        for (int i = 0; i < truth.length; i++) {
            residual[i] = (xi[i] - truth[i]) / half[i % dim];
            e[i / dim] += residual[i] * residual[i];
        }
        return inputs[0].backend().fromHost(e, m);
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
        int dim = bounds.dim();
        double[] dz = new double[truth.length];
        for (int i = 0; i < dz.length; i++) dz[i] = upstream[i / dim] * 2 * residual[i] / half[i % dim] * jacobian[i];
        b.axpy(1.0, b.fromHost(dz, gradInputs[0].shape()), gradInputs[0]);
    }
}
