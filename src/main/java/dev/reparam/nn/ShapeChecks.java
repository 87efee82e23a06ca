package dev.reparam.nn;

import java.util.Arrays;

/** Input-shape checks shared by the layers. */
final class ShapeChecks {
    private ShapeChecks() {}

    static void requireRank(String layer, int[] inputShape, int rank) {
        if (inputShape.length != rank) {
            throw new IllegalArgumentException(layer + ": expects an input of rank " + rank
                    + " (without batch), got " + Arrays.toString(inputShape));
        }
    }

    static void require(boolean ok, String layer, int[] inputShape, String why) {
        if (!ok) throw new IllegalArgumentException(layer + ": input " + Arrays.toString(inputShape) + " " + why);
    }
}
