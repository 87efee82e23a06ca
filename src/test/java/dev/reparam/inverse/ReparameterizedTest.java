package dev.reparam.inverse;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.nn.Model;
import dev.reparam.nn.Ops;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReparameterizedTest {
    private final Experiment wavepacket = Experiments.byName("wavepacket");

    /** The summed problem loss through the network, as the method computes it. */
    private double totalLoss(Model model, Tensor input, ProblemLossOp op, boolean backward) {
        Tape tape = new Tape(CpuBackend.INSTANCE);
        model.zeroGrad();
        Var total = Ops.sum(tape, tape.apply(op, model.forward(tape, tape.constant(input))));
        if (backward) tape.backward(total);
        return total.value().toHost()[0];
    }

    @Test
    void gradientThroughNetworkAndProblemLossMatchesFiniteDifferences() {
        ProblemSet problems = wavepacket.generate(5, 11);
        NetworkInput in = wavepacket.network().input(problems);
        Model model = new Model(CpuBackend.INSTANCE, wavepacket.network().layers(in.shape(), 1), in.shape(), 3);
        Tensor input = CpuBackend.INSTANCE.fromHost(in.data(), in.batchShape(5));
        ProblemLossOp op = new ProblemLossOp(problems, CpuBackend.INSTANCE);
        totalLoss(model, input, op, true);
        double[] grad = model.grads().toHost();
        double[] params = model.params().toHost();
        int p = params.length;
        // parameters of the first conv, a middle layer, and the last dense layer
        for (int k : new int[] {3, p / 2, p - 2, p - 1}) {
            double h = 1e-6, keep = params[k];
            params[k] = keep + h;
            CpuBackend.INSTANCE.copyFromHost(params, model.params());
            double up = totalLoss(model, input, op, false);
            params[k] = keep - h;
            CpuBackend.INSTANCE.copyFromHost(params, model.params());
            double down = totalLoss(model, input, op, false);
            params[k] = keep;
            CpuBackend.INSTANCE.copyFromHost(params, model.params());
            double fd = (up - down) / (2 * h);
            assertEquals(fd, grad[k], 1e-6 * Math.abs(fd) + 1e-9, "parameter " + k);
        }
    }

    @Test
    void sameSeedGivesIdenticalResults() {
        ProblemSet problems = wavepacket.generate(8, 5);
        Reparameterized.Options options = new Reparameterized.Options(15, 1e-4, 1.0, 99);
        MethodResult a = new Reparameterized(CpuBackend.INSTANCE, wavepacket.network(), options)
                .solve(problems, ProgressListener.NONE);
        MethodResult b = new Reparameterized(CpuBackend.INSTANCE, wavepacket.network(), options)
                .solve(problems, ProgressListener.NONE);
        assertArrayEquals(a.unrefined().xi(), b.unrefined().xi(), 0.0);
        assertArrayEquals(a.curve()[14], b.curve()[14], 0.0);
    }

    @Test
    void refinementNeverWorsensAndAnswersStayInBounds() {
        ProblemSet problems = wavepacket.generate(8, 6);
        MethodResult r = new Reparameterized(CpuBackend.INSTANCE, wavepacket.network(),
                new Reparameterized.Options(20, 1e-4, 1.0, 1)).solve(problems, ProgressListener.NONE);
        r = new Refinement(new Bfgs()).refine(problems, r, ProgressListener.NONE);
        for (int i = 0; i < 8; i++) {
            assertTrue(r.refined().loss()[i] <= r.unrefined().loss()[i], "problem " + i);
            assertTrue(r.refined().xi()[i] >= 64 && r.refined().xi()[i] <= 192);
        }
    }
}
