package dev.reparam.inverse;

import dev.reparam.nn.BatchNorm;
import dev.reparam.nn.Conv1d;
import dev.reparam.nn.Flatten;
import dev.reparam.nn.Layer;
import dev.reparam.nn.Linear;
import dev.reparam.nn.MaxPool1d;
import dev.reparam.nn.Relu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The paper's image-classification-style network on 1D signals (wave packet; KS with two input
 * channels): five blocks of Conv1d (k = 5, 'same') -> BatchNorm -> ReLU -> MaxPool 2, then two
 * dense layers. 256 samples pooled five times leave 8 per channel.
 */
public final class Conv1dNetwork {
    static final int[] CHANNELS = {16, 16, 32, 32, 32};
    static final int KERNEL = 5, HIDDEN = 64;

    private Conv1dNetwork() {}

    public static List<Layer> layers(int outputDim) {
        return layers(CHANNELS, HIDDEN, true, outputDim);
    }

    /**
     * The same family with other widths and depth (one block per entry of {@code channels}) and
     * batch normalisation optional: the factor study of docs/experiments.md varies them.
     */
    public static List<Layer> layers(int[] channels, int hidden, boolean batchNorm, int outputDim) {
        if (channels.length == 0 || hidden < 1) {
            throw new IllegalArgumentException("Conv1dNetwork: channels " + Arrays.toString(channels) + ", hidden "
                    + hidden);
        }
        List<Layer> layers = new ArrayList<>();
        for (int c : channels) {
            layers.add(new Conv1d(c, KERNEL));
            if (batchNorm) layers.add(new BatchNorm());
            layers.add(new Relu());
            layers.add(new MaxPool1d(2));
        }
        layers.add(new Flatten());
        layers.add(new Linear(hidden));
        layers.add(new Relu());
        layers.add(new Linear(outputDim));
        return layers;
    }
}
