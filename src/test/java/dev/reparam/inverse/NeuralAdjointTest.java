package dev.reparam.inverse;

import dev.reparam.nn.Linear;
import dev.reparam.nn.Relu;
import dev.reparam.nn.Tanh;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import org.apache.commons.math3.stat.StatUtils;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuralAdjointTest {
    private static final NeuralAdjoint.Surrogate MLP = (in, out) ->
            List.of(new Linear(32), new Tanh(), new Linear(out));

    private static MethodResult solve(ProblemSet problems, ProblemSet training, int iterations, long seed) {
        return new NeuralAdjoint(CpuBackend.INSTANCE, MLP, new Reparameterized.Options(iterations, 1e-2, 1.0, seed),
                training, new NeuralAdjoint.Search(8, 150, 0.02)).solve(problems, ProgressListener.NONE);
    }

    @Test
    void bestStartsPicksTheLowestPerProblemWithTiesToTheFirst() {
        double[] values = {
            3, 1, 2, 1,                 // problem 0: tie between starts 1 and 3
            0.5, 0.7, 0.2, 9,           // problem 1: start 2
            Double.NaN, 4, 4, 5,        // problem 2: NaN never wins
            -1, -1, -1, -1};            // problem 3: all equal, the first
        assertArrayEquals(new int[] {1, 2, 1, 0}, NeuralAdjoint.bestStarts(values, 4, 4));
    }

    @Test
    void surrogateFitsAndAnswersBeatThePriorMeanInsideTheBounds() {
        LinearProblems problems = LinearProblems.generate(16, 1), training = LinearProblems.generate(64, 2);
        MethodResult r = solve(problems, training, 300, 5);
        double[][] curve = r.curve();
        // the observations vary by O(1) to O(10); the fitted surrogate is off by far less
        assertTrue(StatUtils.mean(curve[curve.length - 1]) < 0.01 * StatUtils.mean(curve[0]),
                "surrogate loss " + StatUtils.mean(curve[0]) + " -> " + StatUtils.mean(curve[curve.length - 1]));
        double[] xi = r.unrefined().xi(), priorMean = new double[32], priorLoss = new double[16];
        for (int i = 0; i < 32; i++) {
            priorMean[i] = LinearProblems.BOUNDS.mid()[i % 2];
            int d = i % 2;
            assertTrue(xi[i] >= LinearProblems.BOUNDS.lo(d) && xi[i] <= LinearProblems.BOUNDS.hi(d), "xi " + xi[i]);
        }
        problems.lossAndGradient(ProblemSets.all(16), priorMean, priorLoss, new double[32]);
        assertTrue(r.unrefined().meanLoss() < 0.05 * StatUtils.mean(priorLoss),
                "neural adjoint " + r.unrefined().meanLoss() + " vs prior mean " + StatUtils.mean(priorLoss));
        // z maps back to the reported xi, so refinement starts from the answer
        double[] back = new double[32];
        LinearProblems.BOUNDS.toPhysical(r.unrefined().z(), back);
        assertArrayEquals(xi, back, 1e-9);
    }

    @Test
    void answersAreClampedIntoTheBoundsEvenWhenTheOptimumLiesOutside() {
        // search bounds narrower than the truth: the surrogate's minimum mostly lies outside them,
        // and the search (kept near them only by the boundary loss) must still answer inside.
        LinearProblems training = LinearProblems.generate(64, 2);
        ProblemSet narrow = new Rebounded(LinearProblems.generate(8, 9),
                new Bounds(new double[] {-0.1, 4}, new double[] {0.1, 6}));
        MethodResult r = solve(narrow, new Rebounded(training, narrow.bounds()), 200, 5);
        for (int i = 0; i < 16; i++) {
            int d = i % 2;
            assertTrue(r.unrefined().xi()[i] >= narrow.bounds().lo(d)
                    && r.unrefined().xi()[i] <= narrow.bounds().hi(d));
        }
    }

    @Test
    void sameSeedGivesIdenticalResultsAndAnotherSeedOtherStarts() {
        LinearProblems problems = LinearProblems.generate(4, 3), training = LinearProblems.generate(16, 4);
        MethodResult a = solve(problems, training, 10, 1), b = solve(problems, training, 10, 1),
                c = solve(problems, training, 10, 2);
        assertArrayEquals(a.unrefined().xi(), b.unrefined().xi(), 0.0);
        assertArrayEquals(a.curve()[9], b.curve()[9], 0.0);
        assertTrue(a.unrefined().xi()[0] != c.unrefined().xi()[0]);
    }
}
