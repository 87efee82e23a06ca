package dev.reparam.sim.ks;

import dev.reparam.io.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agreement with the independent NumPy ETDRK4 of test-data/ks/make_reference.py (u at t = 5). */
class KsReferenceTest {
    private static double[] read(String profile, String key) {
        return Npy.read(Path.of("test-data/ks/reference_" + profile + "_" + key + ".npy")).data();
    }

    @ParameterizedTest
    @ValueSource(strings = {"quick", "paper"})
    void matchesNumpyReference(String profile) {
        double[] config = read(profile, "config");
        KuramotoSivashinsky ks = new KuramotoSivashinsky((int) config[0], config[1], config[2], (int) config[3]);
        double[] expected = read(profile, "uT");
        double[] actual = ks.simulate(read(profile, "alpha"), read(profile, "beta"), read(profile, "u0"));
        double err = 0;
        for (int i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(actual[i] - expected[i]));
        double relative = err / KsTestData.maxAbs(expected);
        System.out.printf("KS %s profile: relative max-norm difference to NumPy %.3e%n", profile, relative);
        assertTrue(relative < 1e-10, "relative difference " + relative);
    }
}
