package dev.reparam.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** dcsrch on the one-dimensional test functions of Moré & Thuente (1994), section 5. */
class MoreThuenteLineSearchTest {
    private static final double[] STARTS = {1e-3, 1e-1, 1e1, 1e3};

    /** A function with its derivative. */
    private record Phi(String name, DoubleUnaryOperator f, DoubleUnaryOperator df) {}

    private static Phi paperFunction1() {
        double b = 2;
        return new Phi("phi1", a -> -a / (a * a + b), a -> (a * a - b) / ((a * a + b) * (a * a + b)));
    }

    private static Phi paperFunction2() {
        double b = 0.004;
        return new Phi("phi2", a -> Math.pow(a + b, 5) - 2 * Math.pow(a + b, 4),
                a -> 5 * Math.pow(a + b, 4) - 8 * Math.pow(a + b, 3));
    }

    private static Phi paperFunction3() {
        double b = 0.01, l = 39;
        DoubleUnaryOperator phi0 = a -> a <= 1 - b ? 1 - a : a >= 1 + b ? a - 1 : (a - 1) * (a - 1) / (2 * b) + b / 2;
        DoubleUnaryOperator dphi0 = a -> a <= 1 - b ? -1 : a >= 1 + b ? 1 : (a - 1) / b;
        return new Phi("phi3", a -> phi0.applyAsDouble(a) + 2 * (1 - b) / (l * Math.PI) * Math.sin(l * Math.PI * a / 2),
                a -> dphi0.applyAsDouble(a) + (1 - b) * Math.cos(l * Math.PI * a / 2));
    }

    /** Yanai, Ozawa and Kaneko's functions (paper functions 4 to 6). */
    private static Phi yanai(String name, double b1, double b2) {
        double g1 = Math.sqrt(1 + b1 * b1) - b1, g2 = Math.sqrt(1 + b2 * b2) - b2;
        return new Phi(name, a -> g1 * Math.sqrt((1 - a) * (1 - a) + b2 * b2) + g2 * Math.sqrt(a * a + b1 * b1),
                a -> -g1 * (1 - a) / Math.sqrt((1 - a) * (1 - a) + b2 * b2) + g2 * a / Math.sqrt(a * a + b1 * b1));
    }

    @Test
    void paperFunctionsEndAtStrongWolfePoints() {
        // (c1, c2) as in the paper's tables.
        check(paperFunction1(), 1e-3, 0.1);
        check(paperFunction2(), 1e-3, 0.1);
        check(paperFunction3(), 0.1, 0.1);
        check(yanai("phi4", 0.001, 0.001), 1e-3, 1e-3);
        check(yanai("phi5", 0.01, 0.001), 1e-3, 1e-3);
        check(yanai("phi6", 0.001, 0.01), 1e-3, 1e-3);
    }

    @Test
    void lbfgsbSettingsOnAQuadraticTakeTheExactStep() {
        // phi(a) = (a - 2)^2: phi'(0) = -4; a unit first step already satisfies both conditions
        // with c2 = 0.9 (|phi'(1)| = 2 <= 3.6), so the search stops at once, as L-BFGS-B would.
        MoreThuenteLineSearch ls = new MoreThuenteLineSearch(1e-3, 0.9, 0.1, 0, 1e10);
        assertEquals(MoreThuenteLineSearch.Status.EVALUATE, ls.start(4, -4, 1));
        assertEquals(MoreThuenteLineSearch.Status.CONVERGED, ls.next(1, -2));
        assertEquals(1, ls.step());
    }

    @Test
    void rejectsAscentDirection() {
        MoreThuenteLineSearch ls = new MoreThuenteLineSearch(1e-3, 0.9, 0.1, 0, 1e10);
        assertThrows(IllegalArgumentException.class, () -> ls.start(0, 1, 1));
    }

    private static void check(Phi phi, double c1, double c2) {
        double f0 = phi.f().applyAsDouble(0), g0 = phi.df().applyAsDouble(0);
        for (double a0 : STARTS) {
            MoreThuenteLineSearch ls = new MoreThuenteLineSearch(c1, c2, 1e-10, 0, 1e10);
            MoreThuenteLineSearch.Status status = ls.start(f0, g0, a0);
            int evaluations = 0;
            while (status == MoreThuenteLineSearch.Status.EVALUATE && evaluations < 50) {
                double a = ls.step();
                status = ls.next(phi.f().applyAsDouble(a), phi.df().applyAsDouble(a));
                evaluations++;
            }
            String where = phi.name() + " from " + a0 + ": " + status + " at " + ls.step() + " after " + evaluations;
            assertEquals(MoreThuenteLineSearch.Status.CONVERGED, status, where);
            // The paper reports at most 13 evaluations on these functions.
            assertTrue(evaluations <= 15, where);
            double a = ls.step();
            assertTrue(phi.f().applyAsDouble(a) <= f0 + c1 * a * g0, "sufficient decrease fails: " + where);
            assertTrue(Math.abs(phi.df().applyAsDouble(a)) <= c2 * Math.abs(g0), "curvature fails: " + where);
        }
    }
}
