package dev.reparam.inverse;

import dev.reparam.tensor.Bounds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefinementTest {
    /** Loss (xi - 0.3)^2 per problem, xi in [0, 1]: the minimum is inside, the answers start on the bounds. */
    private static final class Parabolas implements ProblemSet {
        @Override public int size() { return 2; }
        @Override public Bounds bounds() { return Bounds.of(0, 1); }
        @Override public double[] observations() { return new double[2]; }
        @Override public int[] observationShape() { return new int[] {1}; }

        @Override
        public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
            for (int j = 0; j < problems.length; j++) {
                loss[j] = (xi[j] - 0.3) * (xi[j] - 0.3);
                gradient[j] = 2 * (xi[j] - 0.3);
            }
        }
    }

    @Test
    void answersClampedOntoABoundAreStillRefined() {
        ProblemSet p = new Parabolas();
        double[] xi = {0.0, 1.0}, z = new double[2];
        p.bounds().toUnconstrained(xi, z); // |z| ~ 14: a saturated tanh
        Solution onBounds = new Solution(z, xi, new double[] {0.09, 0.49}, null, null, null);
        MethodResult r = new Refinement(new Bfgs()).refine(p,
                new MethodResult("test", onBounds, null, new double[0][], 0, 0), ProgressListener.NONE);
        for (int i = 0; i < 2; i++) {
            assertEquals(0.3, r.refined().xi()[i], 1e-4, "problem " + i);
            assertTrue(r.refined().iterations()[i] > 0);
        }
    }

    @Test
    void onlyBoundedDimensionsAreClipped() {
        Bounds b = new Bounds(new double[] {0, Double.NEGATIVE_INFINITY}, new double[] {1, Double.POSITIVE_INFINITY});
        assertArrayEquals(new double[] {3, 20, -3, -20, 0.5, 1},
                Refinement.startingPoint(b, new double[] {14, 20, -9, -20, 0.5, 1}), 0.0);
    }
}
