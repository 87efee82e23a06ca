package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.reparam.nn.GradCheck.BE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Forward and backward of a network must be bit-identical whatever the thread count. */
class ThreadCountDeterminismTest {
    /** Output, parameter gradients and input gradient, concatenated. */
    private static double[] run(int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Model m = Sequential.of(new Conv1d(8, 5), new BatchNorm(), new Relu(), new MaxPool1d(2),
                    new Conv1d(8, 3), new BatchNorm(), new Sigmoid(), new Flatten(), new Linear(16), new BatchNorm(),
                    new Tanh(), new Linear(3)).build(BE, 9, 2, 64);
            Tensor x = GradCheck.uniform(new SplittableRandom(2), -1, 1, 48, 2, 64);
            Tape tape = new Tape(BE);
            Var input = tape.leaf(x);
            Var y = m.forward(tape, input);
            tape.backward(Ops.sum(tape, Ops.rowMeanSquaredError(tape, y, BE.zeros(48, 3))));
            double[] a = y.value().toHost(), b = m.grads().toHost(), c = input.grad().toHost();
            double[] all = Arrays.copyOf(a, a.length + b.length + c.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            System.arraycopy(c, 0, all, a.length + b.length, c.length);
            return all;
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void oneAndTwoThreadsAgreeBitForBit() {
        assertArrayEquals(run(1), run(2), 0.0);
        assertArrayEquals(run(1), run(3), 0.0);
    }
}
