package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A training forward pass moves batch norm's running statistics by PyTorch's rule (through
 * Backend.batchNormRunningUpdate, the host default here; CudaIterationTest holds the CUDA kernel
 * to it): runningMean += momentum (mean - runningMean), runningVar likewise with the unbiased
 * batch variance.
 */
class BatchNormRunningStatsTest {
    @Test
    void aTrainingPassUpdatesTheRunningStatistics() {
        CpuBackend be = CpuBackend.INSTANCE;
        Model model = new Model(be, List.of(new BatchNorm(0.25, 1e-5)), new int[] {2}, 0);
        // x[4, 2]: channel 0 is 1, 2, 3, 6 (mean 3, unbiased variance 14/3); channel 1 is constant 5
        double[] x = {1, 5, 2, 5, 3, 5, 6, 5};
        Tape tape = new Tape(be);
        model.forward(tape, tape.constant(be.fromHost(x, 4, 2)));
        double[] running = model.buffers().toHost(); // runningMean[2], then runningVar[2], from 0 and 1
        assertArrayEquals(new double[] {0.25 * 3, 0.25 * 5}, new double[] {running[0], running[1]}, 1e-12);
        assertArrayEquals(new double[] {0.75 + 0.25 * 14 / 3.0, 0.75}, new double[] {running[2], running[3]}, 1e-9);
    }
}
