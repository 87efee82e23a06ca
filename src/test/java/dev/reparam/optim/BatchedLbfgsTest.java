package dev.reparam.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchedLbfgsTest {
    private static final double[] ROSEN_STARTS = {-1.2, 1, 0, 0, 2, 2, -2, 3};

    @Test
    void finishedProblemIsNeverEvaluatedAgain() {
        // Problem 0 starts at the minimiser (gradient exactly 0), problem 1 runs ~36 iterations.
        TestObjectives.Counting objective = new TestObjectives.Counting(TestObjectives.rosenbrock(2, 2));
        LbfgsResult r = BatchedLbfgs.minimize(objective, new double[] {1, 1, -1.2, 1}, LbfgsOptions.defaults(), null);

        assertEquals(StopReason.CONVERGED_GTOL, r.reasons()[0]);
        assertEquals(0, r.iterations()[0]);
        assertEquals(1, r.evaluations()[0]);
        assertEquals(1, objective.perProblem[0], "converged problem evaluated again");
        assertTrue(r.iterations()[1] > 20, "problem 1 should run long");
        assertEquals(r.evaluations()[1], objective.perProblem[1]);
        // Only problem 1 was evaluated after the first call, one value per call.
        assertEquals(r.evaluations()[1], objective.calls.get());
        assertEquals(objective.calls.get(), r.batchedEvaluations());
        for (double[] row : r.lossHistory()) assertEquals(0.0, row[0]);
    }

    @Test
    void nonFiniteProblemStopsAloneWithoutDisturbingOthers() {
        int n = ROSEN_STARTS.length / 2;
        BatchedObjective rosen = TestObjectives.rosenbrock(n, 2);
        // Problem 1 returns NaN from its 6th evaluation on, problem 2 an infinite gradient from its 4th.
        int[] seen = new int[n];
        BatchedObjective broken = new BatchedObjective() {
            public int size() { return n; }
            public int dim() { return 2; }
            public void evaluate(int[] problems, double[] x, double[] f, double[] g) {
                rosen.evaluate(problems, x, f, g);
                for (int j = 0; j < problems.length; j++) {
                    int p = problems[j];
                    seen[p]++;
                    if (p == 1 && seen[p] >= 6) f[j] = Double.NaN;
                    if (p == 2 && seen[p] >= 4) g[2 * j + 1] = Double.POSITIVE_INFINITY;
                }
            }
        };
        LbfgsResult r = BatchedLbfgs.minimize(broken, ROSEN_STARTS, LbfgsOptions.defaults(), null);
        LbfgsResult clean = BatchedLbfgs.minimize(rosen, ROSEN_STARTS, LbfgsOptions.defaults(), null);

        assertEquals(StopReason.NON_FINITE, r.reasons()[1]);
        assertEquals(6, r.evaluations()[1]);
        assertEquals(StopReason.NON_FINITE, r.reasons()[2]);
        assertEquals(4, r.evaluations()[2]);
        for (int p = 1; p <= 2; p++) {
            // The reported point is the last accepted iterate, with its finite value.
            assertTrue(Double.isFinite(r.f()[p]));
            assertTrue(Arrays.stream(r.x(), 2 * p, 2 * p + 2).allMatch(Double::isFinite));
        }
        for (int p : new int[] {0, 3}) {
            assertTrue(r.reasons()[p].converged());
            assertEquals(clean.iterations()[p], r.iterations()[p]);
            assertEquals(clean.evaluations()[p], r.evaluations()[p]);
            assertArrayEquals(Arrays.copyOfRange(clean.x(), 2 * p, 2 * p + 2),
                    Arrays.copyOfRange(r.x(), 2 * p, 2 * p + 2), 0);
        }
    }

    @Test
    void resultsAreDeterministicAndIndependentOfTheBatch() {
        int n = ROSEN_STARTS.length / 2;
        LbfgsResult a = BatchedLbfgs.minimize(TestObjectives.rosenbrock(n, 2), ROSEN_STARTS, LbfgsOptions.defaults(),
                null);
        LbfgsResult b = BatchedLbfgs.minimize(TestObjectives.rosenbrock(n, 2), ROSEN_STARTS, LbfgsOptions.defaults(),
                null);
        assertArrayEquals(a.x(), b.x(), 0);
        assertArrayEquals(a.f(), b.f(), 0);
        assertArrayEquals(a.iterations(), b.iterations());
        assertArrayEquals(a.evaluations(), b.evaluations());
        assertArrayEquals(a.lossHistory(), b.lossHistory());
        assertEquals(a.batchedEvaluations(), b.batchedEvaluations());
        for (int p = 0; p < n; p++) {
            double[] x0 = Arrays.copyOfRange(ROSEN_STARTS, 2 * p, 2 * p + 2);
            LbfgsResult alone = BatchedLbfgs.minimize(TestObjectives.rosenbrock(1, 2), x0, LbfgsOptions.defaults(),
                    null);
            assertArrayEquals(alone.x(), Arrays.copyOfRange(a.x(), 2 * p, 2 * p + 2), 0);
            assertEquals(alone.iterations()[0], a.iterations()[p]);
            assertEquals(alone.evaluations()[0], a.evaluations()[p]);
        }
    }

    @Test
    void historyAndListenerFollowLockstepIterations() {
        int n = ROSEN_STARTS.length / 2;
        List<int[]> calls = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        LbfgsResult r = BatchedLbfgs.minimize(TestObjectives.rosenbrock(n, 2), ROSEN_STARTS, LbfgsOptions.defaults(),
                (iteration, running, meanF) -> {
                    calls.add(new int[] {iteration, running});
                    means.add(meanF);
                });
        int maxNit = Arrays.stream(r.iterations()).max().orElseThrow();
        // One history row for the start and one per lockstep iteration, which the slowest problem sets.
        assertEquals(maxNit + 1, r.lossHistory().length);
        assertEquals(maxNit, calls.size());
        for (int k = 0; k < calls.size(); k++) {
            assertEquals(k + 1, calls.get(k)[0]);
            if (k > 0) assertTrue(calls.get(k)[1] <= calls.get(k - 1)[1]);
            assertEquals(Arrays.stream(r.lossHistory()[k + 1]).average().orElseThrow(), means.get(k), 1e-12);
        }
        assertEquals(0, calls.get(calls.size() - 1)[1]);
        for (int p = 0; p < n; p++) {
            // After its last iteration a problem repeats its final value.
            for (int k = r.iterations()[p]; k <= maxNit; k++) assertEquals(r.f()[p], r.lossHistory()[k][p]);
        }
    }

    @Test
    void wrongGradientFollowsScipyIntoLineSearchFailure() {
        // f = x'x with the gradient's sign flipped: every "descent" step goes uphill, so the search
        // shrinks the step until x + stp*d rounds to x. SciPy 1.17 (see make_scipy_reference.py's
        // method) gives: from (1, 2) one accepted step (a dcsrch warning), then the ftol test,
        // nit 1, nfev 21; from (-3, 0.5) ABNORMAL with nit 0, nfev 18 (the last 3 of the 20
        // trials repeat the start point and are not evaluated again).
        BatchedObjective lying = new BatchedObjective() {
            public int size() { return 2; }
            public int dim() { return 2; }
            public void evaluate(int[] problems, double[] x, double[] f, double[] g) {
                for (int j = 0; j < problems.length; j++) {
                    f[j] = x[2 * j] * x[2 * j] + x[2 * j + 1] * x[2 * j + 1];
                    g[2 * j] = -2 * x[2 * j];
                    g[2 * j + 1] = -2 * x[2 * j + 1];
                }
            }
        };
        TestObjectives.Counting counted = new TestObjectives.Counting(lying);
        LbfgsResult r = BatchedLbfgs.minimize(counted, new double[] {1, 2, -3, 0.5}, LbfgsOptions.defaults(), null);
        assertEquals(StopReason.CONVERGED_FTOL, r.reasons()[0]);
        assertEquals(1, r.iterations()[0]);
        assertEquals(21, r.evaluations()[0]);
        assertEquals(StopReason.LINE_SEARCH_FAILED, r.reasons()[1]);
        assertEquals(0, r.iterations()[1]);
        assertEquals(18, r.evaluations()[1]);
        assertArrayEquals(new int[] {21, 18}, counted.perProblem);
        // The failed problem is left at its start point.
        assertArrayEquals(new double[] {-3, 0.5}, Arrays.copyOfRange(r.x(), 2, 4), 0);
    }

    @Test
    void iterationAndEvaluationLimits() {
        LbfgsResult it = BatchedLbfgs.minimize(TestObjectives.rosenbrock(1, 2), new double[] {-1.2, 1},
                LbfgsOptions.defaults().withMaxIterations(5), null);
        assertEquals(StopReason.MAX_ITERATIONS, it.reasons()[0]);
        assertEquals(5, it.iterations()[0]);

        // Like SciPy, maxfun is checked after an iteration, so nfev may overshoot it within one.
        LbfgsResult fe = BatchedLbfgs.minimize(TestObjectives.rosenbrock(1, 2), new double[] {-1.2, 1},
                LbfgsOptions.defaults().withMaxEvaluations(10), null);
        assertEquals(StopReason.MAX_EVALUATIONS, fe.reasons()[0]);
        assertTrue(fe.evaluations()[0] > 10);
    }
}
