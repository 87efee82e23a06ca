package dev.reparam.nn;

import dev.reparam.tensor.Activation;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.reparam.nn.GradCheck.BE;
import static dev.reparam.nn.GradCheck.awayFromZero;
import static dev.reparam.nn.GradCheck.check;
import static dev.reparam.nn.GradCheck.distinct;
import static dev.reparam.nn.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every op's VJP against central finite differences, on odd sizes. */
class OpsGradientTest {
    private final SplittableRandom rng = new SplittableRandom(7);

    private Tensor u(int... shape) {
        return uniform(rng, -1, 1, shape);
    }

    @Test
    void linear() {
        check("linear", (t, v) -> Ops.linear(t, v[0], v[1], v[2]), u(3, 5), u(4, 5), u(4));
        check("linear without bias", (t, v) -> Ops.linear(t, v[0], v[1], null), u(3, 5), u(4, 5));
    }

    @Test
    void conv1d() {
        for (int pad : new int[] {0, 1, 2}) {
            check("conv1d pad " + pad, (t, v) -> Ops.conv1d(t, v[0], v[1], v[2], pad), u(3, 2, 7), u(3, 2, 3), u(3));
        }
        check("conv1d k=5 pad 2", (t, v) -> Ops.conv1d(t, v[0], v[1], v[2], 2), u(2, 2, 9), u(2, 2, 5), u(2));
        check("conv1d k=6 pad 1", (t, v) -> Ops.conv1d(t, v[0], v[1], v[2], 1), u(2, 2, 8), u(2, 2, 6), u(2));
        check("conv1d without bias", (t, v) -> Ops.conv1d(t, v[0], v[1], null, 1), u(2, 3, 6), u(2, 3, 4));
    }

    @Test
    void conv2d() {
        check("conv2d pad 1,0", (t, v) -> Ops.conv2d(t, v[0], v[1], v[2], 1, 0), u(2, 2, 5, 4), u(3, 2, 3, 2), u(3));
        check("conv2d pad 0,2", (t, v) -> Ops.conv2d(t, v[0], v[1], v[2], 0, 2), u(3, 1, 4, 3), u(2, 1, 2, 3), u(2));
        check("conv2d 2x5", (t, v) -> Ops.conv2d(t, v[0], v[1], v[2], 1, 2), u(2, 2, 3, 7), u(2, 2, 2, 5), u(2));
    }

    @Test
    void batchNormTraining() {
        for (int[] shape : new int[][] {{5, 3}, {3, 2, 7}, {2, 3, 3, 2}}) {
            int c = shape[1];
            check("batchNorm " + Arrays.toString(shape), (t, v) -> Ops.batchNorm(t, v[0], v[1], v[2], 1e-5,
                    BE.zeros(c), BE.zeros(c)), u(shape), uniform(rng, 0.5, 1.5, c), u(c));
        }
    }

    @Test
    void batchNormInference() {
        Tensor mean = u(3), var = uniform(rng, 0.5, 2, 3);
        check("batchNormInference", (t, v) -> Ops.batchNormInference(t, v[0], v[1], v[2], mean, var, 1e-5),
                u(4, 3, 5), uniform(rng, 0.5, 1.5, 3), u(3));
    }

    @Test
    void maxPool() {
        check("maxPool1d", (t, v) -> Ops.maxPool1d(t, v[0], 3), distinct(rng, 3, 2, 8));
        check("maxPool2d", (t, v) -> Ops.maxPool2d(t, v[0], 2, 3), distinct(rng, 2, 3, 5, 7));
    }

    @Test
    void activations() {
        for (Activation a : Activation.values()) {
            check(a.name(), (t, v) -> Ops.activation(t, a, v[0]), awayFromZero(rng, 3, 2, 5));
        }
    }

    @Test
    void positionalEncoding() {
        check("positionalEncoding", (t, v) -> Ops.positionalEncoding(t, v[0], 3), u(3, 2));
        check("positionalEncoding F=0", (t, v) -> Ops.positionalEncoding(t, v[0], 0), u(2, 3));
    }

    @Test
    void scaledTanh() {
        check("scaledTanh", (t, v) -> Ops.scaledTanh(t, v[0], new double[] {0.5, -1, 2}, new double[] {1, 0.25, 3}),
                u(4, 3));
    }

    @Test
    void reshapeFlattenAddSumAndLoss() {
        Tensor target = u(3, 4);
        check("reshape", (t, v) -> Ops.reshape(t, Ops.tanh(t, v[0]), 3, 4), u(3, 2, 2));
        check("flatten", (t, v) -> Ops.flatten(t, Ops.tanh(t, v[0])), u(3, 2, 2));
        check("add", (t, v) -> Ops.add(t, v[0], Ops.tanh(t, v[1])), u(3, 5), u(3, 5));
        check("sum", (t, v) -> Ops.sum(t, Ops.tanh(t, v[0])), u(3, 5));
        check("rowMeanSquaredError", (t, v) -> Ops.rowMeanSquaredError(t, v[0], target), u(3, 4));
    }

    @Test
    void shapeMismatchesNameTheOp() {
        GradCheck.Fn conv = (t, v) -> Ops.conv1d(t, v[0], v[1], null, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> GradCheck.projection(conv,
                new Tensor[] {u(2, 3, 7), u(4, 2, 3)}, u(1)));
        assertTrue(e.getMessage().contains("conv1d") && e.getMessage().contains("[4, 2, 3]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradCheck.projection((t, v) ->
                Ops.linear(t, v[0], v[1], null), new Tensor[] {u(2, 3), u(4, 2)}, u(1)));
        assertThrows(IllegalArgumentException.class, () -> GradCheck.projection((t, v) -> Ops.add(t, v[0], v[1]),
                new Tensor[] {u(2, 3), u(3, 2)}, u(1)));
    }
}
