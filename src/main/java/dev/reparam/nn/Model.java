package dev.reparam.nn;

import dev.reparam.autodiff.Tape;
import dev.reparam.autodiff.Var;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A chain of layers whose parameters all live in one flat tensor (and their gradients in another),
 * so an optimiser updates the whole model with one vector op. Each layer sees views of both.
 * Non-trainable state (BatchNorm running statistics) lives in a third flat tensor.
 */
public final class Model {
    private final Backend backend;
    private final List<Layer> layers;
    private final int[] inputShape, outputShape;
    private final Tensor params, grads, buffers;
    private final List<List<Tensor>> paramViews = new ArrayList<>(), gradViews = new ArrayList<>(),
            bufferViews = new ArrayList<>();
    private boolean training = true;

    /** Builds the model for inputs of {@code inputShape} (without the batch dimension); same seed, same parameters. */
    public Model(Backend backend, List<Layer> layers, int[] inputShape, long seed) {
        this.backend = backend;
        this.layers = List.copyOf(layers);
        this.inputShape = inputShape.clone();
        List<List<ParamSpec>> paramSpecs = new ArrayList<>(), bufferSpecs = new ArrayList<>();
        int[] shape = this.inputShape;
        int paramCount = 0, bufferCount = 0;
        for (Layer layer : this.layers) {
            List<ParamSpec> p = layer.parameters(shape), b = layer.buffers(shape);
            paramSpecs.add(p);
            bufferSpecs.add(b);
            for (ParamSpec s : p) paramCount += s.size();
            for (ParamSpec s : b) bufferCount += s.size();
            shape = layer.outputShape(shape);
        }
        this.outputShape = shape;
        params = backend.zeros(paramCount);
        grads = backend.zeros(paramCount);
        buffers = backend.zeros(bufferCount);
        backend.copyFromHost(initialValues(paramSpecs, paramCount, new SplittableRandom(seed)), params);
        backend.copyFromHost(initialValues(bufferSpecs, bufferCount, new SplittableRandom(seed)), buffers);
        slice(paramSpecs, params, paramViews);
        slice(paramSpecs, grads, gradViews);
        slice(bufferSpecs, buffers, bufferViews);
    }

    private static double[] initialValues(List<List<ParamSpec>> specs, int count, SplittableRandom rng) {
        double[] v = new double[count];
        int at = 0;
        for (List<ParamSpec> layer : specs) {
            for (ParamSpec s : layer) {
                double bound = s.init() == ParamSpec.Init.FAN_IN_UNIFORM ? 1 / Math.sqrt(s.fanIn()) : 0;
                for (int i = 0; i < s.size(); i++, at++) {
                    v[at] = switch (s.init()) {
                        case FAN_IN_UNIFORM -> bound * (2 * rng.nextDouble() - 1);
                        case ZEROS -> 0;
                        case ONES -> 1;
                    };
                }
            }
        }
        return v;
    }

    private static void slice(List<List<ParamSpec>> specs, Tensor flat, List<List<Tensor>> out) {
        int at = 0;
        for (List<ParamSpec> layer : specs) {
            List<Tensor> views = new ArrayList<>();
            for (ParamSpec s : layer) {
                views.add(flat.view(at, s.shape()));
                at += s.size();
            }
            out.add(views);
        }
    }

    /** Runs x[B, inputShape...] through every layer; gradients of parameters accumulate into {@link #grads()}. */
    public Var forward(Tape tape, Var x) {
        int[] s = x.shape();
        if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
            throw new IllegalArgumentException("Model: input " + Arrays.toString(s) + " does not match [B, "
                    + Arrays.toString(inputShape) + "]");
        }
        Var h = x;
        for (int i = 0; i < layers.size(); i++) {
            List<Var> vars = new ArrayList<>();
            for (int j = 0; j < paramViews.get(i).size(); j++) {
                vars.add(tape.parameter(paramViews.get(i).get(j), gradViews.get(i).get(j)));
            }
            h = layers.get(i).forward(tape, h, new LayerParams(vars, bufferViews.get(i)), training);
        }
        return h;
    }

    public void zeroGrad() {
        backend.fill(grads, 0.0);
    }

    /** Training mode (the default) uses and updates batch statistics; evaluation mode uses running ones. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    public int parameterCount() {
        return params.size();
    }

    /** All trainable parameters, flat, in layer order. */
    public Tensor params() {
        return params;
    }

    /** Gradients, laid out like {@link #params()}. */
    public Tensor grads() {
        return grads;
    }

    /** Non-trainable state (running statistics), flat, in layer order. */
    public Tensor buffers() {
        return buffers;
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Output shape without the batch dimension. */
    public int[] outputShape() {
        return outputShape.clone();
    }

    public List<Layer> layers() {
        return layers;
    }

    public Backend backend() {
        return backend;
    }
}
