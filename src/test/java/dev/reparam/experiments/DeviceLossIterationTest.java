package dev.reparam.experiments;

import dev.reparam.inverse.ForwardingProblemSet;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.sim.billiards.BilliardsExperiment;
import dev.reparam.sim.billiards.BilliardsProblems;
import dev.reparam.sim.ns.NsExperiment;
import dev.reparam.sim.ns.NsProblems;
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
 * The billiards and Navier-Stokes reparameterized iterations with the losses taken from z where z
 * lives (the shape of CudaBilliardsLoss and CudaNsLoss: bound map, solver, finish, chain) make no
 * host transfer in their bodies: the experiments' networks (positional encoding and sigmoid MLP;
 * the NS conv2d network), the loss op, backward and Adam. A capturable loss (billiards) gets a
 * recordable runner; a non-capturable one (Navier-Stokes, whose CG reads flags back) gets a
 * non-recording one, and still copies neither z nor the losses. Both optimise exactly what the
 * host path (the problem set behind UnconstrainedObjective) does, bit for bit. The "device" work
 * of the stand-in runs on the CPU behind {@link HostReadGuard}, as kernels would; the kernels
 * themselves are checked by BilliardsDeviceLossEmulationTest (no GPU) and the gpu-tagged
 * BilliardsDeviceLossParityTest and NsDeviceLossParityTest.
 */
class DeviceLossIterationTest {
    /** A problem set with a device path computed on the CPU unseen by the guard (the kernels' stand-in). */
    private static final class StandIn extends ForwardingProblemSet {
        private final boolean capturable;

        StandIn(ProblemSet base, boolean capturable) {
            super(base);
            this.capturable = capturable;
        }

        @Override
        public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
            base.lossAndGradient(problems, xi, loss, gradient);
        }

        @Override
        public BatchedLoss batchedLoss(Backend backend, Bounds bounds) {
            CpuBackend device = CpuBackend.INSTANCE;
            int n = size(), dim = bounds.dim();
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return new DeviceLoss() {
                @Override
                public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
                    double[] zv = device.toHost(z), xi = new double[zv.length], jac = new double[zv.length];
                    double[] l = new double[n], g = new double[zv.length];
                    bounds.toPhysical(zv, xi);                 // bound map (fused in billiards_loss)
                    base.lossAndGradient(all, xi, l, g);        // billiards_loss / the NS rollout and adjoint
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

                @Override
                public boolean capturable() {
                    return capturable;
                }
            };
        }
    }

    @Test
    void aBilliardsIterationTransfersNothingAndIsRecordable() {
        check(new BilliardsExperiment(), BilliardsProblems.generate(8, 4), true, 6);
    }

    @Test
    void aNavierStokesIterationTransfersNothingButIsNotRecorded() {
        NsExperiment experiment = new NsExperiment(NsProblems.Physics.QUICK);
        check(experiment, NsProblems.generate(NsProblems.Physics.QUICK, 3, 7), false, 2);
    }

    private static void check(Experiment experiment, ProblemSet problems, boolean capturable, int iterations) {
        Reparameterized.Options options = new Reparameterized.Options(iterations, 1e-3, 0.5, 2);
        HostReadGuard guard = new HostReadGuard();
        MethodResult device = new Reparameterized(guard.backend(), experiment.network(), options)
                .solve(new StandIn(problems, capturable), ProgressListener.NONE);
        assertEquals(iterations, guard.bodies());
        assertEquals(capturable ? iterations : 0, guard.recordableBodies(), "recordable bodies");
        assertEquals(List.of(), guard.transfersInBody());

        MethodResult host = new Reparameterized(CpuBackend.INSTANCE, experiment.network(), options)
                .solve(problems, ProgressListener.NONE);
        for (int it = 0; it < iterations; it++) assertArrayEquals(host.curve()[it], device.curve()[it],
                "iteration " + it);
        assertArrayEquals(host.unrefined().xi(), device.unrefined().xi());
    }
}
