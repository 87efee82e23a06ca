package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.reparam.nn.GradCheck.BE;
import static dev.reparam.nn.GradCheck.H;
import static dev.reparam.nn.GradCheck.assertClose;
import static dev.reparam.nn.GradCheck.uniform;

/** Every layer inside a small network: parameter and input gradients of the loss against finite differences. */
class LayerGradientTest {
    private final SplittableRandom rng = new SplittableRandom(11);

    private static Var loss(Model model, Tape tape, Var input, Tensor target) {
        return Ops.sum(tape, Ops.rowMeanSquaredError(tape, model.forward(tape, input), target));
    }

    private static double lossAt(Model model, Tensor x, Tensor target) {
        Tape tape = new Tape(BE);
        return loss(model, tape, tape.constant(x), target).value().toHost()[0];
    }

    /** Central differences of the loss with respect to every element of {@code t}. */
    private static double[] numeric(Model model, Tensor x, Tensor target, Tensor t) {
        double[] v = t.toHost(), g = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            double keep = v[k];
            v[k] = keep + H;
            BE.copyFromHost(v, t);
            double up = lossAt(model, x, target);
            v[k] = keep - H;
            BE.copyFromHost(v, t);
            double down = lossAt(model, x, target);
            v[k] = keep;
            BE.copyFromHost(v, t);
            g[k] = (up - down) / (2 * H);
        }
        return g;
    }

    private void checkNetwork(String what, Sequential net, int batch, int... inputShape) {
        Model model = net.build(BE, 3, inputShape);
        int[] xShape = new int[inputShape.length + 1];
        xShape[0] = batch;
        System.arraycopy(inputShape, 0, xShape, 1, inputShape.length);
        int[] yShape = new int[model.outputShape().length + 1];
        yShape[0] = batch;
        System.arraycopy(model.outputShape(), 0, yShape, 1, yShape.length - 1);
        Tensor x = uniform(rng, -1, 1, xShape), target = uniform(rng, -1, 1, yShape);

        model.zeroGrad();
        Tape tape = new Tape(BE);
        Var input = tape.leaf(x);
        tape.backward(loss(model, tape, input, target));
        double[] paramGrad = model.grads().toHost(), inputGrad = input.grad().toHost();

        assertClose(what + " parameters", numeric(model, x, target, model.params()), paramGrad);
        assertClose(what + " input", numeric(model, x, target, x), inputGrad);
    }

    @Test
    void denseWithBatchNormAndSigmoid() {
        checkNetwork("dense", Sequential.of(new Linear(5), new BatchNorm(), new Sigmoid(), new Linear(2)), 4, 3);
    }

    @Test
    void conv1dWithBatchNormReluAndPooling() {
        checkNetwork("conv1d", Sequential.of(new Conv1d(3, 3), new BatchNorm(), new Relu(), new MaxPool1d(2),
                new Conv1d(2, 2, 0), new Tanh(), new Flatten(), new Linear(2)), 3, 2, 9);
    }

    @Test
    void conv2dWithBatchNormAndPooling() {
        checkNetwork("conv2d", Sequential.of(new Conv2d(3, 3), new BatchNorm(), new Tanh(), new MaxPool2d(2, 3),
                new Flatten(), new Linear(2)), 3, 2, 5, 7);
    }

    @Test
    void positionalEncodingMlp() {
        checkNetwork("positional encoding", Sequential.of(new PositionalEncoding(3), new Linear(6), new Tanh(),
                new Linear(2)), 3, 2);
    }

    @Test
    void batchNormInEvalModeUsesRunningStatistics() {
        Sequential net = Sequential.of(new Conv1d(2, 3), new BatchNorm(), new Tanh(), new Flatten(), new Linear(1));
        Model model = net.build(BE, 5, 2, 5);
        Tape warm = new Tape(BE);
        model.forward(warm, warm.constant(uniform(rng, 0, 2, 4, 2, 5)));
        model.setTraining(false);
        Tensor x = uniform(rng, -1, 1, 3, 2, 5), target = uniform(rng, -1, 1, 3, 1);
        model.zeroGrad();
        Tape tape = new Tape(BE);
        Var input = tape.leaf(x);
        tape.backward(loss(model, tape, input, target));
        assertClose("eval parameters", numeric(model, x, target, model.params()), model.grads().toHost());
        assertClose("eval input", numeric(model, x, target, x), input.grad().toHost());
    }
}
