package dev.reparam.inverse;

import java.util.Arrays;

/** Checks that a training set (supervised, neural adjoint) can stand in for the problems to solve. */
final class TrainingSets {
    private TrainingSets() {}

    static void requireCompatible(ProblemSet training, ProblemSet problems) {
        ProblemSets.validate(training);
        double[] truth = training.trueParameters();
        if (truth == null || truth.length != training.size() * problems.dim()) {
            throw new IllegalArgumentException("training set: needs its true parameters, " + training.size() + " x "
                    + problems.dim() + " values");
        }
        if (!Arrays.equals(training.observationShape(), problems.observationShape())
                || !Arrays.equals(training.inputShape(), problems.inputShape())) {
            throw new IllegalArgumentException("training set: observations "
                    + Arrays.toString(training.observationShape())
                    + " and inputs " + Arrays.toString(training.inputShape()) + " differ from the problems' "
                    + Arrays.toString(problems.observationShape()) + " and " + Arrays.toString(problems.inputShape()));
        }
    }
}
