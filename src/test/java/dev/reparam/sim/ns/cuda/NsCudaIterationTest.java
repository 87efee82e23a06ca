package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDriver;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.inverse.ForwardingProblemSet;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.sim.ns.NsExperiment;
import dev.reparam.sim.ns.NsProblems;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Navier-Stokes reparameterized solve on CUDA with the losses from the device z (CudaNsLoss, in
 * batches of two) against the same solve on the host path (the same device solver behind a plain
 * problem set: z down, xi up, losses down), graphs on: no capture is attempted (no fallback
 * notice: the loss is not capturable, so the runner is not recording), and the curves agree to
 * 1e-9 relative over 6 iterations (the bound map on the device against the host's, the same
 * rollout otherwise). Needs a GPU.
 */
@Tag("gpu")
class NsCudaIterationTest {
    @Test
    void theDevicePathFollowsTheHostPath() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        NsExperiment experiment = new NsExperiment(NsProblems.Physics.QUICK);
        NsProblems problems = NsProblems.generate(NsProblems.Physics.QUICK.withCgTolerance(1e-12), 5, 9);
        // 3 iterations under the interpreter, where each takes several seconds
        Reparameterized.Options options = new Reparameterized.Options(CudaDriver.interpreted() ? 3 : 6, 1e-3, 1.0, 3);
        List<String> notices = new ArrayList<>();
        MethodResult device, host;
        try (CudaBackend gpu = CudaBackend.open(CudaDtype.FLOAT64); CudaNsProblems onGpu = new CudaNsProblems(problems,
                gpu, 2)) {
            gpu.setNotices(notices::add);
            gpu.setGraphs(true);
            device = new Reparameterized(gpu, experiment.network(), options).solve(onGpu, ProgressListener.NONE);
            ForwardingProblemSet hostPath = new ForwardingProblemSet(onGpu) {
                @Override
                public void lossAndGradient(int[] rows, double[] xi, double[] loss, double[] gradient) {
                    onGpu.lossAndGradient(rows, xi, loss, gradient);
                }
            };
            host = new Reparameterized(gpu, experiment.network(), options).solve(hostPath, ProgressListener.NONE);
        }
        assertEquals(List.of(), notices, "no capture may be attempted for a non-capturable loss");
        for (int it = 0; it < options.iterations(); it++) {
            for (int j = 0; j < problems.size(); j++) {
                double want = host.curve()[it][j], got = device.curve()[it][j];
                assertTrue(Math.abs(got - want) <= 1e-9 * Math.abs(want),
                        "iteration " + it + " problem " + j + ": " + got + " vs " + want);
            }
        }
    }
}
