package dev.reparam.sim.ks;

import java.util.SplittableRandom;

/** Random smooth initial states and parameters for the KS tests. */
final class KsTestData {
    private KsTestData() {}

    /** The experiment's random smooth states (modes 1..8, standard deviation 1). */
    static double[] initialStates(SplittableRandom rng, int count, int n) {
        return KsProblems.initialStates(rng, count, n);
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) m = Math.max(m, Math.abs(v));
        return m;
    }
}
