package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.reparam.nn.GradCheck.BE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTest {
    private static Sequential convNet() {
        return Sequential.of(new Conv1d(4, 3), new BatchNorm(), new Relu(), new MaxPool1d(2), new Flatten(),
                new Linear(3));
    }

    @Test
    void shapesAndParameterCount() {
        Model m = convNet().build(BE, 1, 2, 9);
        // conv 4*2*3 + 4, batch norm 4 + 4, linear 3*16 + 3
        assertEquals(28 + 8 + 51, m.parameterCount());
        assertEquals(m.parameterCount(), m.grads().size());
        assertArrayEquals(new int[] {3}, m.outputShape());
        assertEquals(8, m.buffers().size());
    }

    @Test
    void initialisationIsSeededAndFollowsPyTorchDefaults() {
        double[] a = convNet().build(BE, 42, 2, 9).params().toHost();
        assertArrayEquals(a, convNet().build(BE, 42, 2, 9).params().toHost());
        assertFalse(Arrays.equals(a, convNet().build(BE, 43, 2, 9).params().toHost()));
        double convBound = 1 / Math.sqrt(2 * 3), linearBound = 1 / Math.sqrt(16);
        for (int i = 0; i < 28; i++) assertTrue(Math.abs(a[i]) <= convBound);
        for (int i = 28; i < 32; i++) assertEquals(1.0, a[i]);
        for (int i = 32; i < 36; i++) assertEquals(0.0, a[i]);
        for (int i = 36; i < a.length; i++) assertTrue(Math.abs(a[i]) <= linearBound);
        assertTrue(Arrays.stream(a, 0, 28).anyMatch(v -> Math.abs(v) > convBound / 2));
    }

    @Test
    void gradientsAccumulateIntoTheFlatBufferUntilZeroed() {
        Model m = convNet().build(BE, 1, 2, 9);
        Tensor x = GradCheck.uniform(new SplittableRandom(1), -1, 1, 3, 2, 9);
        Tape tape = new Tape(BE);
        tape.backward(Ops.sum(tape, m.forward(tape, tape.constant(x))));
        double[] once = m.grads().toHost();
        Tape again = new Tape(BE);
        again.backward(Ops.sum(again, m.forward(again, again.constant(x))));
        double[] twice = m.grads().toHost();
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-12);
        m.zeroGrad();
        assertEquals(0.0, BE.sumOfSquares(m.grads()));
    }

    @Test
    void batchNormRunningStatisticsFollowPyTorch() {
        Model m = Sequential.of(new BatchNorm()).build(BE, 1, 2);
        Tensor x = BE.fromHost(new double[] {1, 10, 3, 20}, 2, 2);
        Tape tape = new Tape(BE);
        m.forward(tape, tape.constant(x));
        // mean (2, 15), unbiased var (2, 50); momentum 0.1 from (0, 1)
        assertArrayEquals(new double[] {0.2, 1.5, 0.9 + 0.2, 0.9 + 5.0}, m.buffers().toHost(), 1e-9);
        m.setTraining(false);
        Tape eval = new Tape(BE);
        double[] y = m.forward(eval, eval.constant(x)).value().toHost();
        assertEquals((1 - 0.2) / Math.sqrt(1.1 + 1e-5), y[0], 1e-12);
        assertArrayEquals(new double[] {0.2, 1.5, 1.1, 5.9}, m.buffers().toHost(), 1e-9);
    }

    @Test
    void rejectsInputsOfTheWrongShape() {
        Model m = convNet().build(BE, 1, 2, 9);
        Tape tape = new Tape(BE);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(tape, tape.constant(BE.zeros(3, 3, 9))));
        assertTrue(e.getMessage().contains("[3, 3, 9]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sequential.of(new Linear(3)).build(BE, 1, 2, 9));
        assertThrows(IllegalArgumentException.class, () -> Sequential.of(new Conv1d(3, 5, 0)).build(BE, 1, 2, 4));
    }
}
