package dev.reparam.study;

import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.SolveJob;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The factor study's default row must be the product's run: same problems, same training. */
class StudyTrainingTest {
    @Test
    void theDefaultSetupTrainsWhatTheProductTrains() {
        int n = 6;
        long seed = 3;
        ProblemSet product = Experiments.byName("wavepacket").generate(n, seed);
        StudyProblems study = new StudyProblems(n, seed, WavePacketSetup.DEFAULT);
        assertArrayEquals(product.observations(), study.observations());
        assertArrayEquals(product.trueParameters(), study.trueParameters());

        WavePacketSetup setup = WavePacketSetup.DEFAULT.with("iterations=8");
        double[] expected = new Reparameterized(CpuBackend.INSTANCE, Experiments.byName("wavepacket").network(),
                new Reparameterized.Options(8, setup.lr(), setup.clip(), SolveJob.networkSeed(seed)))
                .solve(product, ProgressListener.NONE).unrefined().z();
        StudyTraining.Outcome o = StudyTraining.train(CpuBackend.INSTANCE, study, setup, SolveJob.networkSeed(seed));
        assertArrayEquals(expected, o.z(), 1e-12);
        assertEquals(8, o.trajectory().length);
    }

    @Test
    void aVariantChangesOnlyWhatItNames() {
        WavePacketSetup s = WavePacketSetup.DEFAULT.with("lr=3e-4,bn=none,channels=8/8");
        assertEquals(3e-4, s.lr());
        assertEquals("none", s.batchNorm());
        assertArrayEquals(new int[] {8, 8}, s.channels());
        assertEquals(WavePacketSetup.DEFAULT.sigma(), s.sigma());
        assertEquals(WavePacketSetup.DEFAULT.iterations(), s.iterations());
        assertThrows(IllegalArgumentException.class, () -> WavePacketSetup.DEFAULT.with("width=3"));
        assertThrows(IllegalArgumentException.class, () -> WavePacketSetup.DEFAULT.with("bn=sometimes"));
        assertEquals("cosine", WavePacketSetup.DEFAULT.with("schedule=cosine").schedule());
        assertThrows(IllegalArgumentException.class, () -> WavePacketSetup.DEFAULT.with("schedule=step"));
    }

    /** A cosine decay to 0 changes the answer and, at its end, stops moving the estimates. */
    @Test
    void aCosineScheduleDecaysTheStepsToNothing() {
        int n = 6;
        StudyProblems study = new StudyProblems(n, 3, WavePacketSetup.DEFAULT);
        WavePacketSetup constant = WavePacketSetup.DEFAULT.with("iterations=12,lr=1e-3");
        WavePacketSetup cosine = constant.with("schedule=cosine");
        StudyTraining.Outcome c = StudyTraining.train(CpuBackend.INSTANCE, study, constant, 9);
        StudyTraining.Outcome d = StudyTraining.train(CpuBackend.INSTANCE, study, cosine, 9);
        assertArrayEquals(c.trajectory()[1], d.trajectory()[1], 0, "the first step is at the full rate");
        double constantLast = 0, cosineLast = 0;
        for (int i = 0; i < n; i++) {
            constantLast = Math.max(constantLast, Math.abs(c.trajectory()[11][i] - c.trajectory()[10][i]));
            cosineLast = Math.max(cosineLast, Math.abs(d.trajectory()[11][i] - d.trajectory()[10][i]));
        }
        assertTrue(cosineLast < 0.1 * constantLast, "step 11 moves " + cosineLast + " against " + constantLast);
    }
}
