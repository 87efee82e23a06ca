package dev.reparam.sim.ns;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Navier-Stokes experiment on the quick physics (32 x 32 cells, 8 steps). */
class NsExperimentTest {
    private static final NsProblems.Physics QUICK = NsProblems.Physics.QUICK;
    private static final MacGrid GRID = QUICK.grid();
    private static final int OBS = GRID.observedSize();
    private final Experiment exp = new NsExperiment(QUICK);

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void theQuickProfileSelectsTheQuickPhysics() {
        Experiment registered = Experiments.byName("navier-stokes");
        assertTrue(registered.forProfile(Profile.PAPER) == registered, "the registered instance is the paper physics");
        int quickWidth = NsProblems.Physics.QUICK.width();
        ProblemSet quick = registered.forProfile(Profile.QUICK).generate(1, 0);
        // the top half of u and v on the 32 x 32 grid: under 4 W^2 values (the paper grid gives ~10 000)
        assertTrue(quick.observations().length < 4 * quickWidth * quickWidth, "got " + quick.observations().length);
    }

    @Test
    void registeredUnderThePaperTableNameWithThePaperGrid() {
        Experiment paper = Experiments.byName("navier-stokes");
        int obs = 101 * 50 + 100 * 51;
        ProblemSet p = paper.fromObservations(new double[obs], new int[] {1, obs}, new double[obs], new int[] {1, obs});
        assertArrayEquals(new int[] {obs}, p.observationShape());
        assertArrayEquals(new int[] {obs}, p.inputShape());
        assertArrayEquals(new double[] {50, 0, 0}, p.initialGuess(), 0.0);
        assertArrayEquals(new int[] {4, 50, 100}, paper.network().input(p).shape());
    }

    @Test
    void generationIsFixedBySeedAndFollowsThePrior() {
        int n = 6;
        ProblemSet a = exp.generate(n, 3), b = exp.generate(n, 3), c = exp.generate(n, 4);
        assertArrayEquals(a.observations(), b.observations(), 0.0);
        assertArrayEquals(a.inputs(), b.inputs(), 0.0);
        assertArrayEquals(a.trueParameters(), b.trueParameters(), 0.0);
        assertNotEquals(a.inputs()[0], c.inputs()[0]);
        assertEquals(n * OBS, a.observations().length);
        double[] truth = a.trueParameters();
        for (int i = 0; i < n; i++) {
            assertTrue(truth[3 * i] >= 0.2 * 32 && truth[3 * i] <= 0.8 * 32, "x0 " + truth[3 * i]);
            assertTrue(Math.abs(truth[3 * i + 1]) <= 2 && Math.abs(truth[3 * i + 2]) <= 2);
        }
    }

    /**
     * The methods start from the known top half with the bottom half zero, so the truth does not
     * fit exactly, yet it fits far better than the prior mean.
     */
    @Test
    void hiddenBottomHalfLeavesALossAtTheTruthFarBelowThePriorMean() {
        int n = 8;
        ProblemSet p = exp.generate(n, 1);
        double[] atTruth = new double[n], atPrior = new double[n], prior = new double[3 * n];
        p.lossAndGradient(all(n), p.trueParameters(), atTruth, new double[3 * n]);
        for (int i = 0; i < n; i++) System.arraycopy(p.initialGuess(), 0, prior, 3 * i, 3);
        p.lossAndGradient(all(n), prior, atPrior, new double[3 * n]);
        double meanTruth = 0, meanPrior = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(atTruth[i] > 1e-8, "problem " + i + ": the hidden bottom half must leave a loss, got "
                    + atTruth[i]);
            meanTruth += atTruth[i] / n;
            meanPrior += atPrior[i] / n;
        }
        assertTrue(meanTruth < 0.2 * meanPrior, "mean loss at truth " + meanTruth + ", at the prior mean " + meanPrior);
    }

    @Test
    void knownInitialStateIsTheTopHalfWithZerosBelow() {
        ProblemSet p = exp.generate(2, 5);
        double[] s = NsProblems.withZeroBottom(GRID, p.inputs(), 2);
        assertArrayEquals(p.inputs(), GRID.observe(s, 2), 0.0);
        for (int q = 0; q < 2; q++) {
            for (int j = 0; j < GRID.h / 2; j++) {
                for (int i = 0; i <= GRID.w; i++) assertEquals(0.0, s[q * GRID.size() + GRID.u(i, j)], 0.0);
                for (int i = 0; i < GRID.w; i++) assertEquals(0.0, s[q * GRID.size() + GRID.v(i, j)], 0.0);
            }
        }
    }

    /** Gradient of the ProblemSet loss in (x0, v0x, v0y) against central differences, CG tolerance 1e-12. */
    @Test
    void gradientMatchesCentralDifferences() {
        int n = 3;
        NsProblems p = NsProblems.generate(QUICK.withCgTolerance(1e-12), n, 2);
        double[] xi = {12.3, 0.7, -1.1, 20.4, -1.5, 0.4, 16.0, 0.2, 1.8}, loss = new double[n],
                grad = new double[3 * n];
        p.lossAndGradient(all(n), xi, loss, grad);
        double h = 1e-5;
        for (int d = 0; d < 3; d++) {
            // problems are independent, so one batched call perturbs parameter d of all of them
            double[] plus = lossesAt(p, xi, d, h), minus = lossesAt(p, xi, d, -h);
            for (int i = 0; i < n; i++) {
                double fd = (plus[i] - minus[i]) / (2 * h);
                double scale = Math.max(Math.abs(grad[3 * i]),
                        Math.max(Math.abs(grad[3 * i + 1]), Math.abs(grad[3 * i + 2])));
                assertEquals(fd, grad[3 * i + d], 1e-5 * scale, "problem " + i + ", parameter " + d);
            }
        }
    }

    private static double[] lossesAt(ProblemSet p, double[] xi, int d, double h) {
        double[] x = xi.clone(), loss = new double[xi.length / 3];
        for (int i = d; i < x.length; i += 3) x[i] += h;
        p.lossAndGradient(all(loss.length), x, loss, new double[xi.length]);
        return loss;
    }

    @Test
    void networkSeesFourCellCentredChannelsOfTheTopHalf() {
        ProblemSet p = exp.generate(2, 0);
        NetworkInput in = exp.network().input(p);
        int rows = GRID.h / 2, w = GRID.w, plane = rows * w;
        assertArrayEquals(new int[] {4, rows, w}, in.shape());
        double[] s0 = NsProblems.withZeroBottom(GRID, p.inputs(), 2),
                sT = NsProblems.withZeroBottom(GRID, p.observations(), 2);
        int r = 3, i = 7, j = rows + r, second = GRID.size();
        double[] d = in.data();
        assertEquals(0.5 * (s0[second + GRID.u(i, j)] + s0[second + GRID.u(i + 1, j)]), d[4 * plane + r * w + i], 0.0);
        assertEquals(0.5 * (s0[second + GRID.v(i, j)] + s0[second + GRID.v(i, j + 1)]), d[5 * plane + r * w + i], 0.0);
        assertEquals(0.5 * (sT[second + GRID.u(i, j)] + sT[second + GRID.u(i + 1, j)]), d[6 * plane + r * w + i], 0.0);
        assertEquals(0.5 * (sT[second + GRID.v(i, j)] + sT[second + GRID.v(i, j + 1)]), d[7 * plane + r * w + i], 0.0);
    }

    @Test
    void reparameterizedRunOfThreeIterationsGivesFiniteLosses() {
        ProblemSet p = exp.generate(4, 6);
        Reparameterized.Options training = new Reparameterized.Options(3, NsExperiment.LEARNING_RATE, 1.0, 0);
        MethodResult r = new Reparameterized(CpuBackend.INSTANCE, exp.network(), training)
                .solve(p, ProgressListener.NONE);
        assertEquals(3, r.curve().length);
        for (double[] it : r.curve()) for (double l : it) assertTrue(Double.isFinite(l), "training loss " + l);
        for (double l : r.unrefined().loss()) assertTrue(Double.isFinite(l) && l > 0, "loss " + l);
    }

    @Test
    void userObservationsNeedInputsOfMatchingShape() {
        double[] y = new double[2 * OBS], x = new double[2 * OBS];
        ProblemSet p = exp.fromObservations(y, new int[] {2, OBS}, x, new int[] {2, OBS});
        assertEquals(2, p.size());
        assertEquals(null, p.trueParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {2, OBS}, null, null));
        assertTrue(e.getMessage().contains("--inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {2, OBS}, new double[OBS], new int[] {1, OBS}));
        assertTrue(e.getMessage().contains("--inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(new double[2 * (OBS - 1)], new int[] {2, OBS - 1}, x,
                new int[] {2, OBS - 1}));
        assertTrue(e.getMessage().contains("--observations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NsProblems(QUICK, new double[OBS], y, null));
        assertTrue(e.getMessage().contains("initial top-half values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NsProblems(QUICK, Arrays.copyOf(x, OBS + 1),
                Arrays.copyOf(y, OBS + 1), null));
    }
}
