package dev.reparam.inverse;

import dev.reparam.nn.Layer;
import dev.reparam.nn.Linear;
import dev.reparam.nn.Relu;

import java.util.ArrayList;
import java.util.List;

/**
 * A general-purpose network for any problem set: x_i and y_i flattened and concatenated, then
 * dense layers with ReLU. The default when a problem comes without an architecture of its own.
 */
public final class MlpNetwork implements Network {
    private final int[] hidden;

    public MlpNetwork(int... hidden) {
        for (int h : hidden) if (h < 1) throw new IllegalArgumentException("hidden layer widths must be >= 1");
        this.hidden = hidden.clone();
    }

    @Override
    public NetworkInput input(ProblemSet problems) {
        int n = problems.size();
        double[] y = problems.observations();
        double[] x = problems.inputs() == null ? new double[0] : problems.inputs();
        int ry = y.length / n, rx = x.length / n;
        double[] data = new double[n * (rx + ry)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * rx, data, i * (rx + ry), rx);
            System.arraycopy(y, i * ry, data, i * (rx + ry) + rx, ry);
        }
        return new NetworkInput(data, new int[] {rx + ry});
    }

    @Override
    public List<Layer> layers(int[] inputShape, int outputDim) {
        List<Layer> layers = new ArrayList<>();
        for (int h : hidden) {
            layers.add(new Linear(h));
            layers.add(new Relu());
        }
        layers.add(new Linear(outputDim));
        return layers;
    }
}
