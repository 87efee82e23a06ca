package dev.reparam.sim.wavepacket;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WavePacketExperimentTest {
    private final Experiment exp = Experiments.byName("wavepacket");

    @Test
    void generationIsFixedBySeedAndFollowsThePrior() {
        ProblemSet a = exp.generate(200, 4), b = exp.generate(200, 4), c = exp.generate(200, 5);
        assertArrayEquals(a.observations(), b.observations(), 0.0);
        assertTrue(a.observations()[0] != c.observations()[0]);
        for (double t0 : a.trueParameters()) assertTrue(t0 >= 64 && t0 <= 192);
        // at the true t0 the misfit is the noise alone: mean square close to 0.1^2
        double[] loss = new double[200], grad = new double[200];
        int[] all = new int[200];
        for (int i = 0; i < 200; i++) all[i] = i;
        a.lossAndGradient(all, a.trueParameters(), loss, grad);
        double mean = 0;
        for (double l : loss) mean += l / 200;
        assertEquals(0.01, mean, 0.0005);
    }

    /** The property the experiment exists for: BFGS from t0 = 128 mostly ends in a wrong local minimum. */
    @Test
    void bfgsFromThePriorMeanMostlyMissesTheGlobalMinimum() {
        ProblemSet problems = exp.generate(128, 0);
        MethodResult r = new Bfgs().solve(problems, ProgressListener.NONE);
        double[] truth = problems.trueParameters();
        int found = 0;
        for (int i = 0; i < 128; i++) if (Math.abs(r.unrefined().xi()[i] - truth[i]) < Math.PI / 2) found++;
        assertTrue(found < 128 * 0.3, "BFGS found " + found + " of 128 global minima");
        assertTrue(found > 0, "BFGS should still find the problems whose packet sits near t0 = 128");
    }
}
