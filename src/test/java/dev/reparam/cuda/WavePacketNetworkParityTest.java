package dev.reparam.cuda;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.Network;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.nn.Model;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.Shapes;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full forward and backward pass of the wave-packet network (conv1d, batch norm, ReLU, max
 * pool, linear layers, as the experiment builds them) on the CUDA backend in float64 against
 * the CPU: outputs and every parameter gradient to 1e-10 relative. Needs a GPU.
 */
@Tag("gpu")
class WavePacketNetworkParityTest {
    @Test
    void forwardAndBackwardMatchTheCpu() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        ProblemSet problems = Experiments.byName("wavepacket").generate(37, 5);
        Network network = Experiments.byName("wavepacket").network();
        NetworkInput input = network.input(problems);
        try (CudaBackend gpu = CudaBackend.open(CudaDtype.FLOAT64)) {
            double[][] cpu = pass(CpuBackend.INSTANCE, network, input, problems.size());
            double[][] dev = pass(gpu, network, input, problems.size());
            assertClose(cpu[0], dev[0], "network output");
            assertClose(cpu[1], dev[1], "parameter gradients");
        }
    }

    /** Output and parameter gradients of one forward and backward pass with seed 11 and dy = output. */
    private static double[][] pass(Backend be, Network network, NetworkInput input, int n) {
        Model model = new Model(be, network.layers(input.shape(), 1), input.shape(), 11);
        Tape tape = new Tape(be);
        Tensor x = be.fromHost(input.data(), Shapes.withBatch(n, input.shape()));
        Var y = model.forward(tape, tape.constant(x));
        tape.backward(y, y.value());
        return new double[][] {y.value().toHost(), model.grads().toHost()};
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(actual[i] - expected[i]);
            err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
        }
        assertTrue(err <= 1e-10 * scale, what + ": relative error " + err / scale);
    }
}
