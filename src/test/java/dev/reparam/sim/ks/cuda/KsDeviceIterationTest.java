package dev.reparam.sim.ks.cuda;

import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.sim.ks.KsExperiment;
import dev.reparam.sim.ks.KsProblems;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.HostReadGuard;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Kuramoto-Sivashinsky reparameterized iteration with the losses taken from z where z lives
 * (the shape of CudaKsLoss: bound map, solver, finish, chain) makes no host transfer: the KS
 * network (conv1d on u(0) and u(T)), the loss op, backward and Adam, so the CUDA backend can
 * capture it; and it optimises exactly what the host path (KsProblems behind
 * UnconstrainedObjective) does, bit for bit. The "device" work of the stand-in runs on the CPU
 * behind {@link HostReadGuard}, as kernels would; the CUDA kernels themselves are checked by
 * KsDeviceLossEmulationTest (no GPU) and KsDeviceLossParityTest (GPU).
 */
class KsDeviceIterationTest {
    /** KsProblems with a device path that computes on the CPU unseen by the guard (the kernels' stand-in). */
    private static final class StandIn implements ProblemSet {
        final KsProblems ks;

        StandIn(KsProblems ks) {
            this.ks = ks;
        }

        @Override public int size() { return ks.size(); }
        @Override public Bounds bounds() { return ks.bounds(); }
        @Override public double[] observations() { return ks.observations(); }
        @Override public int[] observationShape() { return ks.observationShape(); }
        @Override public double[] inputs() { return ks.inputs(); }
        @Override public int[] inputShape() { return ks.inputShape(); }

        @Override
        public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
            ks.lossAndGradient(problems, xi, loss, gradient);
        }

        @Override
        public BatchedLoss batchedLoss(Backend backend, Bounds bounds) {
            CpuBackend device = CpuBackend.INSTANCE;
            int n = ks.size(), dim = bounds.dim();
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return new DeviceLoss() {
                @Override
                public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
                    double[] zv = device.toHost(z), xi = new double[zv.length], jac = new double[zv.length];
                    double[] l = new double[n], g = new double[zv.length];
                    bounds.toPhysical(zv, xi);                 // bound_map_forward
                    ks.lossAndGradient(all, xi, l, g);          // ks_forward, ks_adjoint (+inf -> DIVERGED_LOSS)
                    bounds.jacobianDiagonal(zv, jac);          // bound_map_finish
                    for (int i = 0; i < g.length; i++) g[i] *= jac[i];
                    device.copyFromHost(l, loss);
                    device.copyFromHost(g, gradZ);
                }

                @Override
                public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {   // row_scale_accumulate
                    double[] w = device.toHost(upstream), g = device.toHost(gradZ), out = device.toHost(dz);
                    for (int i = 0; i < out.length; i++) out[i] += w[i / dim] * g[i];
                    device.copyFromHost(out, dz);
                }
            };
        }
    }

    @Test
    void aKsIterationWithTheLossOnTheDeviceTransfersNothing() {
        KsProblems problems = KsProblems.generate(KsProblems.Physics.QUICK, 6, 11);
        KsExperiment experiment = new KsExperiment(KsProblems.Physics.QUICK);
        Reparameterized.Options options = new Reparameterized.Options(4, 1e-3, 0.5, 2);
        HostReadGuard guard = new HostReadGuard();
        MethodResult device = new Reparameterized(guard.backend(), experiment.network(), options)
                .solve(new StandIn(problems), ProgressListener.NONE);
        assertEquals(options.iterations(), guard.bodies());
        assertEquals(List.of(), guard.transfersInBody());

        MethodResult host = new Reparameterized(CpuBackend.INSTANCE, experiment.network(), options)
                .solve(problems, ProgressListener.NONE);
        for (int it = 0; it < options.iterations(); it++) assertArrayEquals(host.curve()[it], device.curve()[it],
                "iteration " + it);
        assertArrayEquals(host.unrefined().xi(), device.unrefined().xi());
    }
}
