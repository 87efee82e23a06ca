package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.parallel.Communicator;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The synchronised batch norm (kernels with the whole batch's statistics, sums on the host)
 * against the one-process kernel: with a "world" whose sums are the identity (one rank holding
 * the whole batch, but taking the synchronised path) output, every gradient and the running
 * statistics must be the kernel's. CudaSyncBatchNormTest does the same on the CUDA backend;
 * MpiRunTest then checks the batch split over real ranks.
 */
class SyncBatchNormTest {
    /** Claims two ranks, so BatchNorm takes the synchronised path; holds everything itself. */
    private static final Communicator WHOLE_BATCH_ON_ONE = new Communicator() {
        @Override public int rank() { return 0; }
        @Override public int size() { return 2; }
        @Override public void broadcast(double[] values) {}
        @Override public void sumInRankOrder(double[] values) {}
        @Override public double[] gatherToRoot(double[] mine) { return mine.clone(); }
        @Override public void barrier() {}
        @Override public void stopAll(int exitCode) { throw new AssertionError("stopAll"); }
    };

    private record Pass(double[] y, double[] dx, double[] dTheta, double[] running) {}

    private static Pass pass(Backend be, BatchNorm layer, double[] x, double[] w) {
        Model model = new Model(be, List.of(layer), new int[] {3, 5}, 7);
        // gamma and beta away from 1 and 0, so their gradients and dx's gamma factor are tested
        double[] theta = model.params().toHost();
        for (int i = 0; i < theta.length; i++) theta[i] = 0.5 + 0.25 * i;
        be.copyFromHost(theta, model.params());
        Tape tape = new Tape(be);
        Var in = tape.leaf(be.fromHost(x, 4, 3, 5));
        Var y = model.forward(tape, in);
        // a weighted sum as the loss, so every dy differs
        Tensor seed = be.fromHost(w, 4, 3, 5);
        model.zeroGrad();
        tape.backward(y, seed);
        return new Pass(y.value().toHost(), in.grad().toHost(), model.grads().toHost(), model.buffers().toHost());
    }

    @Test
    void theSynchronisedPathComputesWhatTheKernelsCompute() {
        assertSynchronisedMatchesTheKernel(CpuBackend.INSTANCE, CpuBackend.INSTANCE);
    }

    /** The synchronised path on {@code be} against the one-process kernel on {@code reference}. */
    static void assertSynchronisedMatchesTheKernel(Backend reference, Backend be) {
        Random rng = new Random(5);
        double[] x = new double[60], w = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = 3 + 2 * rng.nextGaussian();
            w[i] = rng.nextGaussian();
        }
        Pass kernels = pass(reference, new BatchNorm(), x, w);
        Pass sync = pass(be, new BatchNorm().synchronisedOver(WHOLE_BATCH_ON_ONE), x, w);
        assertArrayEquals(kernels.y(), sync.y(), 1e-13, "output");
        assertArrayEquals(kernels.dx(), sync.dx(), 1e-13, "dx");
        assertArrayEquals(kernels.dTheta(), sync.dTheta(), 1e-12, "dgamma, dbeta");
        assertArrayEquals(kernels.running(), sync.running(), 1e-13, "running statistics");
    }
}
