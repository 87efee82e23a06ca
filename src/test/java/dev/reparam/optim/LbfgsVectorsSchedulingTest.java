package dev.reparam.optim;

import dev.reparam.tensor.LbfgsVectors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchedLbfgs drives its vectors through {@link LbfgsVectors} in batches: each operation is one
 * call for every problem waiting for it, which is what lets a device implementation run it as one
 * launch. A recording wrapper around the host vectors counts calls and listed problems.
 */
class LbfgsVectorsSchedulingTest {
    enum Op { TRIALS, STORE, ADOPT, DIRECTION, SET_TRIAL, DERIVATIVE, FINISH, PUSH, CLEAR }

    /** The host vectors, with every call counted (calls and problems listed). */
    static final class Recording implements LbfgsVectors {
        final LbfgsVectors inner;
        final Map<Op, int[]> counts = new EnumMap<>(Op.class); // {calls, problems}
        boolean closed;

        Recording(int n, int dim, int m, double[] x0) {
            inner = LbfgsVectors.HOST.create(n, dim, m, x0);
            for (Op op : Op.values()) counts.put(op, new int[2]);
        }

        private void count(Op op, int[] ids) {
            assertTrue(ids.length > 0, op + " called for no problem");
            assertEquals(ids.length, Arrays.stream(ids).distinct().count(), op + " lists a problem twice");
            counts.get(op)[0]++;
            counts.get(op)[1] += ids.length;
        }

        public String name() { return "recording"; }
        public void trialPoints(int[] ids, double[] out) { count(Op.TRIALS, ids); inner.trialPoints(ids, out); }
        public void storeEvaluated(int[] ids, double[] g) { count(Op.STORE, ids); inner.storeEvaluated(ids, g); }
        public void adoptStart(int[] ids, double[] a, boolean[] f) {
            count(Op.ADOPT, ids);
            inner.adoptStart(ids, a, f);
        }
        public void direction(int[] ids, double[] gd, double[] dd) {
            count(Op.DIRECTION, ids);
            inner.direction(ids, gd, dd);
        }
        public void setTrial(int[] ids, double[] stp, boolean[] s) {
            count(Op.SET_TRIAL, ids);
            inner.setTrial(ids, stp, s);
        }
        public void directionalDerivative(int[] ids, double[] gd, boolean[] f) {
            count(Op.DERIVATIVE, ids);
            inner.directionalDerivative(ids, gd, f);
        }
        public void finish(int[] ids, double[] a) { count(Op.FINISH, ids); inner.finish(ids, a); }
        public void push(int[] ids, double[] stp, double[] sy) { count(Op.PUSH, ids); inner.push(ids, stp, sy); }
        public void clear(int[] ids) { count(Op.CLEAR, ids); inner.clear(ids); }
        public void positions(double[] out) { inner.positions(out); }
        public void close() { closed = true; }
    }

    @Test
    void everyOperationIsOneCallForAllWaitingProblemsAndResultsDoNotChange() {
        int n = 24, dim = 6;
        Random r = new Random(3);
        double[][][] a = new double[n][dim][dim];
        double[][] b = new double[n][dim];
        for (int p = 0; p < n; p++) {
            // A = Q'Q + I: symmetric positive definite, differently conditioned per problem
            double[][] q = new double[dim][dim];
            for (double[] row : q) for (int i = 0; i < dim; i++) row[i] = r.nextGaussian() * (1 + p % 5);
            for (int i = 0; i < dim; i++) {
                b[p][i] = r.nextGaussian();
                for (int j = 0; j < dim; j++) {
                    double s = i == j ? 1 : 0;
                    for (int k = 0; k < dim; k++) s += q[k][i] * q[k][j];
                    a[p][i][j] = s;
                }
            }
        }
        BatchedObjective objective = TestObjectives.quadratics(a, b);
        double[] x0 = new double[n * dim];
        for (int i = 0; i < x0.length; i++) x0[i] = r.nextGaussian();
        Recording[] made = new Recording[1];
        LbfgsOptions options = LbfgsOptions.defaults().withMemory(4);
        LbfgsResult recorded = BatchedLbfgs.minimize(objective, x0, options, null,
                (nn, d, m, x) -> made[0] = new Recording(nn, d, m, x));
        LbfgsResult plain = BatchedLbfgs.minimize(objective, x0, options, null);

        assertArrayEquals(plain.x(), recorded.x(), 0);
        assertArrayEquals(plain.iterations(), recorded.iterations());
        assertArrayEquals(plain.evaluations(), recorded.evaluations());
        assertTrue(made[0].closed, "vectors not closed");

        Map<Op, int[]> c = made[0].counts;
        int lockstep = recorded.lossHistory().length - 1;
        int totalIterations = Arrays.stream(recorded.iterations()).sum();
        int totalEvaluations = Arrays.stream(recorded.evaluations()).sum();
        assertTrue(Arrays.stream(recorded.reasons()).allMatch(StopReason::converged),
                Arrays.toString(recorded.reasons()));
        assertEquals(0, c.get(Op.CLEAR)[0], "these problems never restart");
        // one direction call per lockstep iteration, listing every problem still running
        assertEquals(lockstep, c.get(Op.DIRECTION)[0]);
        assertEquals(totalIterations, c.get(Op.DIRECTION)[1]);
        assertEquals(totalIterations, c.get(Op.FINISH)[1]);
        // one trial-point gather and one gradient store per batched evaluation
        assertEquals(recorded.batchedEvaluations(), c.get(Op.TRIALS)[0]);
        assertEquals(recorded.batchedEvaluations(), c.get(Op.STORE)[0]);
        assertEquals(totalEvaluations, c.get(Op.STORE)[1]);
        assertEquals(1, c.get(Op.ADOPT)[0]);
        assertEquals(n, c.get(Op.ADOPT)[1]);
        // batched: far fewer calls than problems listed
        assertTrue(c.get(Op.DIRECTION)[1] > 5 * c.get(Op.DIRECTION)[0], "direction calls not batched");
    }
}
