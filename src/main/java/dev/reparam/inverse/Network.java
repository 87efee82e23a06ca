package dev.reparam.inverse;

import dev.reparam.nn.Layer;

import java.util.List;

/**
 * A network architecture for a problem set: how (x_i, y_i) are laid out as its input, and the
 * layers that map that input to the {@code outputDim} unconstrained unknowns z_i.
 */
public interface Network {
    NetworkInput input(ProblemSet problems);

    List<Layer> layers(int[] inputShape, int outputDim);
}
