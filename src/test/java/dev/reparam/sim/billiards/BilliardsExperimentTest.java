package dev.reparam.sim.billiards;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BilliardsExperimentTest {
    private final Experiment exp = Experiments.byName("billiards");

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void generatedProblemsFollowThePriorAndAreSolvedByTheirTrueV0() {
        ProblemSet a = exp.generate(200, 4), b = exp.generate(200, 4), c = exp.generate(200, 5);
        assertArrayEquals(a.observations(), b.observations(), 0.0);
        assertTrue(a.observations()[0] != c.observations()[0]);
        double[] x = a.inputs(), v0 = a.trueParameters();
        for (int i = 0; i < 200; i++) {
            assertTrue(Math.abs(x[2 * i] - 0.5) <= 0.1 && Math.abs(x[2 * i + 1] - 0.5) <= 0.15);
            assertTrue(v0[2 * i] >= 0 && v0[2 * i] <= 1.5 && Math.abs(v0[2 * i + 1]) <= 1.5);
            assertTrue(Billiards.hits(v0[2 * i], v0[2 * i + 1], x[2 * i], x[2 * i + 1]));
        }
        double[] loss = new double[200], grad = new double[400];
        a.lossAndGradient(all(200), v0, loss, grad);
        for (double l : loss) assertEquals(0.0, l, 1e-20);
    }

    /** The paper's point: a shot that misses gives no gradient, so BFGS stops where it started. */
    @Test
    void bfgsStallsOnMissesAndConvergesOnlyOnAMinority() {
        int n = 64;
        ProblemSet problems = exp.generate(n, 0);
        double[] start = new double[2 * n];
        for (int i = 0; i < n; i++) System.arraycopy(problems.initialGuess(), 0, start, 2 * i, 2);
        double[] startLoss = new double[n], grad = new double[2 * n];
        problems.lossAndGradient(all(n), start, startLoss, grad);
        MethodResult r = new Bfgs().solve(problems, ProgressListener.NONE);
        double[] x = problems.inputs(), loss = r.unrefined().loss();
        int missed = 0, converged = 0;
        for (int i = 0; i < n; i++) {
            boolean hitsAtStart = Billiards.hits(0.75, 0.0, x[2 * i], x[2 * i + 1]);
            if (!hitsAtStart) {
                missed++;
                assertEquals(startLoss[i], loss[i], 0.0, "problem " + i + " misses at the start");
                assertEquals(0, r.unrefined().iterations()[i], "problem " + i);
            }
            if (loss[i] < 1e-10) {
                assertTrue(hitsAtStart, "problem " + i + " converged without a first hit");
                converged++;
            }
        }
        // measured on seed 0: 36 initial misses, 22 of 64 converged (about a third over seeds 0-3)
        assertTrue(missed > n / 3, "only " + missed + " initial misses");
        assertTrue(converged >= n / 8 && converged < n / 2, "BFGS converged on " + converged + " of " + n);
    }

    @Test
    void userObservationsNeedBallPositionsOfMatchingShape() {
        double[] y = {0.9, 0.5, 1.0, 0.4};
        ProblemSet p = exp.fromObservations(y, new int[] {2, 2}, new double[] {0.5, 0.5, 0.5, 0.45}, new int[] {2, 2});
        assertEquals(2, p.size());
        assertEquals(null, p.trueParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {2, 2}, null, null));
        assertTrue(e.getMessage().contains("--inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {2, 2}, new double[] {0.5, 0.5}, new int[] {1, 2}));
        assertTrue(e.getMessage().contains("--inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {4}, new double[] {0.5, 0.5, 0.5, 0.5}, new int[] {2, 2}));
        assertTrue(e.getMessage().contains("--observations"), e.getMessage());
    }
}
