package dev.reparam.inverse;

import org.apache.commons.math3.stat.StatUtils;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupervisedTest {
    private static MethodResult solve(ProblemSet problems, ProblemSet training, int iterations) {
        return new Supervised(CpuBackend.INSTANCE, new MlpNetwork(32),
                new Reparameterized.Options(iterations, 1e-2, 1.0, 7), training).solve(problems, ProgressListener.NONE);
    }

    @Test
    void learnsALinearProblemFromItsTrainingSet() {
        LinearProblems problems = LinearProblems.generate(32, 1), training = LinearProblems.generate(128, 2);
        MethodResult r = solve(problems, training, 400);
        double[] xi = r.unrefined().xi(), truth = problems.trueParameters(), half = LinearProblems.BOUNDS.half();
        double error = 0;
        for (int i = 0; i < xi.length; i++) error += Math.abs(xi[i] - truth[i]) / half[i % 2] / xi.length;
        // the prior mean is off by 0.5 half-widths on average; a fitted network by a few percent
        assertTrue(error < 0.05, "mean normalised parameter error " + error);
        // the problems' true losses per iteration, falling, the last row being the answer's
        assertEquals(400, r.curve().length);
        assertEquals(32, r.curve()[0].length);
        assertTrue(StatUtils.mean(r.curve()[399]) < 0.05 * StatUtils.mean(r.curve()[0]));
        assertArrayEquals(r.unrefined().loss(), r.curve()[399], 0.0);
        // reported losses are the true losses of the answers
        double[] loss = new double[32];
        problems.lossAndGradient(ProblemSets.all(32), xi, loss, new double[64]);
        assertArrayEquals(loss, r.unrefined().loss(), 0.0);
    }

    @Test
    void sameSeedGivesIdenticalResults() {
        LinearProblems problems = LinearProblems.generate(8, 3), training = LinearProblems.generate(16, 4);
        assertArrayEquals(solve(problems, training, 20).unrefined().xi(),
                solve(problems, training, 20).unrefined().xi(), 0.0);
    }

    @Test
    void rejectsATrainingSetWithoutTrueParameters() {
        LinearProblems problems = LinearProblems.generate(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> solve(problems, problems.unlabelled(), 1));
        assertTrue(e.getMessage().contains("true parameters"), e.getMessage());
    }
}
