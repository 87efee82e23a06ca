package dev.reparam.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link BatchedLbfgs} with SciPy's L-BFGS-B on the problems of
 * test-data/lbfgs/scipy_reference.json (made by make_scipy_reference.py). All problems of one kind
 * and dimension run as one batch.
 */
class ScipyReferenceTest {
    private static final double X_TOL = 1e-6;
    /**
     * Allowed |nit - nit_scipy| / nit_scipy. Observed (SciPy 1.17.1): identical nit and nfev on
     * every problem except the two most ill-conditioned quadratics, where rounding separates the
     * paths late: 109 vs 108 (dim 10) and 320 vs 377 (dim 20, the maximum deviation, 15%).
     */
    private static final double NIT_TOL = 0.2;

    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        reference = new ObjectMapper().readTree(Path.of("test-data/lbfgs/scipy_reference.json").toFile());
    }

    @Test
    void rosenbrockMatchesScipy() {
        for (List<JsonNode> batch : batches("rosenbrock").values()) {
            int dim = batch.get(0).get("dim").asInt();
            check(batch, TestObjectives.rosenbrock(batch.size(), dim));
        }
    }

    @Test
    void quadraticsMatchScipy() {
        for (List<JsonNode> batch : batches("quadratic").values()) {
            int dim = batch.get(0).get("dim").asInt();
            double[][][] a = new double[batch.size()][dim][dim];
            double[][] b = new double[batch.size()][dim];
            for (int p = 0; p < batch.size(); p++) {
                for (int r = 0; r < dim; r++) {
                    for (int c = 0; c < dim; c++) a[p][r][c] = batch.get(p).get("A").get(r).get(c).asDouble();
                    b[p][r] = batch.get(p).get("b").get(r).asDouble();
                }
            }
            check(batch, TestObjectives.quadratics(a, b));
        }
    }

    /** Problems of one kind grouped by dimension, in file order. */
    private static Map<Integer, List<JsonNode>> batches(String kind) {
        Map<Integer, List<JsonNode>> byDim = new LinkedHashMap<>();
        for (JsonNode p : reference.get("problems")) {
            if (p.get("kind").asText().equals(kind)) {
                byDim.computeIfAbsent(p.get("dim").asInt(), d -> new ArrayList<>()).add(p);
            }
        }
        assertTrue(!byDim.isEmpty(), "no " + kind + " problems in the reference file");
        return byDim;
    }

    private static void check(List<JsonNode> batch, BatchedObjective objective) {
        int dim = objective.dim();
        double[] x0 = new double[batch.size() * dim];
        for (int p = 0; p < batch.size(); p++) {
            for (int i = 0; i < dim; i++) x0[p * dim + i] = batch.get(p).get("x0").get(i).asDouble();
        }
        LbfgsResult r = BatchedLbfgs.minimize(objective, x0, LbfgsOptions.defaults(), null);
        assertEquals(batch.size(), r.size());
        List<String> failures = new ArrayList<>();
        for (int p = 0; p < batch.size(); p++) {
            JsonNode ref = batch.get(p);
            double[] ours = Arrays.copyOfRange(r.x(), p * dim, (p + 1) * dim);
            double err = distance(ours, ref.get("x"));
            int nit = ref.get("nit").asInt();
            String row = String.format("%-10s dim %2d #%d: nit %4d (scipy %4d)  nfev %4d (scipy %4d)  max x err %.1e  "
                    + "%s", ref.get("kind").asText(), dim, p, r.iterations()[p], nit, r.evaluations()[p],
                    ref.get("nfev").asInt(), err, r.reasons()[p]);
            System.out.println(row);
            if (!r.reasons()[p].converged()) failures.add("not converged: " + row);
            if (err > X_TOL && !sameAsScipyUpToItsOwnAccuracy(r.f()[p], ref)) failures.add("minimiser differs: " + row);
            if (Math.abs(r.iterations()[p] - nit) > NIT_TOL * nit) failures.add("iteration count off: " + row);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * On the most ill-conditioned quadratics the ftol test stops SciPy itself farther than 1e-6
     * from the exact minimiser, at a point that depends on rounding (our two-loop recursion and
     * SciPy's compact form round differently, and after ~100 iterations the paths separate). There
     * the minimiser is only determined to within the ftol test, so "the same minimiser" is checked
     * as: SciPy's own x is off the exact one by more than 1e-6, and our optimality gap f - f* is
     * within 10x SciPy's (both are ~1e-8, the ftol scale).
     */
    private static boolean sameAsScipyUpToItsOwnAccuracy(double ourF, JsonNode ref) {
        JsonNode exact = ref.get("x_exact");
        if (exact == null) return false;
        double[] scipyX = new double[exact.size()];
        for (int i = 0; i < scipyX.length; i++) scipyX[i] = ref.get("x").get(i).asDouble();
        double fStar = ref.get("fun_exact").asDouble();
        double scipyGap = ref.get("fun").asDouble() - fStar;
        System.out.printf("           ill-conditioned: scipy x off exact by %.1e; gap f - f*: ours %.1e, scipy %.1e%n",
                distance(scipyX, exact), ourF - fStar, scipyGap);
        return distance(scipyX, exact) > X_TOL && ourF - fStar <= 10 * scipyGap;
    }

    /** Max over coordinates of the absolute error, relative for coordinates larger than 1. */
    private static double distance(double[] x, JsonNode expected) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            double e = expected.get(i).asDouble();
            max = Math.max(max, Math.abs(x[i] - e) / Math.max(1, Math.abs(e)));
        }
        return max;
    }
}
