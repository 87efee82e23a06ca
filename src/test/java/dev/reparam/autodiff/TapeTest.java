package dev.reparam.autodiff;

import dev.reparam.nn.Ops;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TapeTest {
    private static final Backend BE = CpuBackend.INSTANCE;

    @Test
    void aValueUsedTwiceGetsBothContributions() {
        Tape tape = new Tape(BE);
        Var x = tape.leaf(BE.fromHost(new double[] {0.5, -1}, 1, 2));
        // d/dx sum(tanh(x) + x) = 1 - tanh^2 + 1
        Var y = Ops.sum(tape, Ops.add(tape, Ops.tanh(tape, x), x));
        tape.backward(y);
        double t0 = Math.tanh(0.5), t1 = Math.tanh(-1);
        assertArrayEquals(new double[] {2 - t0 * t0, 2 - t1 * t1}, x.grad().toHost(), 1e-15);
    }

    @Test
    void constantOnlyOpsAreNotRecordedAndNeedNoGradient() {
        Tape tape = new Tape(BE);
        Var c = tape.constant(BE.fromHost(new double[] {1, 2}, 1, 2));
        Var y = Ops.tanh(tape, Ops.add(tape, c, c));
        assertFalse(y.requiresGrad());
        assertEquals(0, tape.size());
        assertThrows(IllegalStateException.class, () -> tape.backward(Ops.sum(tape, y)));

        Var p = tape.leaf(BE.fromHost(new double[] {3, 4}, 1, 2));
        assertTrue(Ops.add(tape, c, p).requiresGrad());
        assertEquals(1, tape.size());
    }

    @Test
    void parameterGradientsAccumulateIntoTheGivenBuffer() {
        Tape tape = new Tape(BE);
        var grad = BE.fromHost(new double[] {10, 20}, 1, 2);
        Var p = tape.parameter(BE.fromHost(new double[] {1, 2}, 1, 2), grad);
        tape.backward(Ops.sum(tape, p));
        assertArrayEquals(new double[] {11, 21}, grad.toHost(), 0.0);
    }
}
