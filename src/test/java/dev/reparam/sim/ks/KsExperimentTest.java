package dev.reparam.sim.ks;

import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.Profile;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.NetworkInput;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.inverse.Placement;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.inverse.Solution;
import dev.reparam.sim.ks.cuda.CudaKsProblems;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KS experiment on the quick physics (N = 64, L = 22, 40 steps). */
class KsExperimentTest {
    private static final int N = KsProblems.Physics.QUICK.points();
    private final Experiment exp = new KsExperiment(KsProblems.Physics.QUICK);

    @Test
    void theQuickProfileSelectsTheQuickPhysicsEverywhere() {
        Experiment registered = Experiments.byName("kuramoto-sivashinsky");
        assertEquals(KsProblems.Physics.PAPER.points(), registered.generate(2, 0).observationShape()[0]);
        assertEquals(N, registered.forProfile(Profile.QUICK).generate(2, 0).observationShape()[0]);
        assertEquals(KsProblems.Physics.PAPER.points(), registered.forProfile(Profile.PAPER).generate(2, 0)
                .observationShape()[0]);
    }

    /** On the CPU backend the problems stay the CPU's (the CUDA one is CudaKsProblemsParityTest, gpu). */
    @Test
    void theCpuBackendKeepsTheCpuProblems() {
        ProblemSet problems = exp.generate(2, 0);
        try (PlacedProblems placed = Placement.place(problems, CpuBackend.INSTANCE)) {
            assertFalse(placed instanceof CudaKsProblems, "got " + placed.getClass());
            assertFalse(placed.batchedLoss(CpuBackend.INSTANCE, placed.bounds()).capturable(), "the host loss");
        }
    }

    private static int[] all(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void registeredUnderThePaperTableNameWithThePaperGrid() {
        ProblemSet p = Experiments.byName("kuramoto-sivashinsky").generate(2, 0);
        assertArrayEquals(new int[] {128}, p.observationShape());
        assertArrayEquals(new int[] {128}, p.inputShape());
    }

    @Test
    void generationIsFixedBySeedFollowsThePriorAndIsSolvedByItsTrueParameters() {
        int n = 20;
        ProblemSet a = exp.generate(n, 3), b = exp.generate(n, 3), c = exp.generate(n, 4);
        assertArrayEquals(a.observations(), b.observations(), 0.0);
        assertArrayEquals(a.inputs(), b.inputs(), 0.0);
        assertNotEquals(a.inputs()[0], c.inputs()[0]);
        assertArrayEquals(new double[] {0, 1}, a.initialGuess(), 0.0);
        double[] truth = a.trueParameters(), u0 = a.inputs();
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(truth[2 * i]) <= 1 && truth[2 * i + 1] >= 0.5 && truth[2 * i + 1] <= 1.5);
            double sum = 0, sq = 0;
            for (int j = 0; j < N; j++) {
                sum += u0[i * N + j];
                sq += u0[i * N + j] * u0[i * N + j];
            }
            assertEquals(0, sum / N, 1e-12, "problem " + i + ": modes 1..8 have mean zero");
            assertEquals(1, Math.sqrt(sq / N), 1e-12, "problem " + i + ": unit standard deviation");
        }
        double[] loss = new double[n], grad = new double[2 * n];
        a.lossAndGradient(all(n), truth, loss, grad);
        for (double l : loss) assertEquals(0.0, l, 1e-20);
        a.lossAndGradient(all(n), startFor(n), loss, grad);
        for (double l : loss) assertTrue(l > 1e-6, "observations depend on (alpha, beta): " + l);
    }

    /** d loss / d z through xi = mid + half tanh(z), against central differences in z. */
    @Test
    void gradientMatchesCentralDifferencesThroughTheBounds() {
        int n = 4;
        ProblemSet p = exp.generate(n, 1);
        Bounds bounds = p.bounds();
        double[] z = {0.3, -0.4, -0.7, 0.2, 1.1, 0.5, 0.0, -1.2}, xi = new double[2 * n], jac = new double[2 * n];
        bounds.toPhysical(z, xi);
        bounds.jacobianDiagonal(z, jac);
        double[] loss = new double[n], grad = new double[2 * n];
        p.lossAndGradient(all(n), xi, loss, grad);
        double h = 1e-6;
        for (int e = 0; e < 2 * n; e++) {
            double[] plus = at(p, z, e, h), minus = at(p, z, e, -h);
            double fd = (plus[e / 2] - minus[e / 2]) / (2 * h), exact = grad[e] * jac[e];
            assertEquals(fd, exact, 1e-6 * Math.max(1, Math.abs(fd)), "problem " + e / 2 + ", parameter " + e % 2);
        }
    }

    private static double[] at(ProblemSet p, double[] z, int e, double h) {
        double[] zz = z.clone(), xi = new double[z.length], loss = new double[z.length / 2];
        zz[e] += h;
        p.bounds().toPhysical(zz, xi);
        p.lossAndGradient(all(loss.length), xi, loss, new double[z.length]);
        return loss;
    }

    /** Three generated problems and one whose initial state (amplitude 1e3) blows up at any (alpha, beta). */
    private static KsProblems withDivergedProblem(KsProblems good) {
        int n = good.size();
        double[] u0 = Arrays.copyOf(good.inputs(), (n + 1) * N), y = Arrays.copyOf(good.observations(), (n + 1) * N);
        for (int j = 0; j < N; j++) u0[n * N + j] = 1e3 * good.inputs()[j];
        return new KsProblems(KsProblems.Physics.QUICK.solver(), u0, y, null);
    }

    @Test
    void aDivergedProblemGetsAFiniteLossAndLeavesBfgsOnTheOthersUntouched() {
        KsProblems good = KsProblems.generate(KsProblems.Physics.QUICK, 3, 2), mixed = withDivergedProblem(good);
        double[] loss = new double[4], grad = new double[8];
        mixed.lossAndGradient(all(4), startFor(4), loss, grad);
        assertEquals(KsProblems.DIVERGED_LOSS, loss[3], 0.0);
        assertEquals(0.0, grad[6], 0.0);
        assertEquals(0.0, grad[7], 0.0);

        Solution alone = new Bfgs().solve(good, ProgressListener.NONE).unrefined();
        Solution batch = new Bfgs().solve(mixed, ProgressListener.NONE).unrefined();
        assertArrayEquals(alone.xi(), Arrays.copyOf(batch.xi(), 6), 0.0);
        assertArrayEquals(alone.loss(), Arrays.copyOf(batch.loss(), 3), 0.0);
        assertEquals(KsProblems.DIVERGED_LOSS, batch.loss()[3], 0.0);
    }

    /** A few Adam steps on a batch that includes a diverged problem: the training loss stays finite. */
    @Test
    void reparameterizedTrainsThroughADivergedProblem() {
        KsProblems mixed = withDivergedProblem(KsProblems.generate(KsProblems.Physics.QUICK, 7, 5));
        Reparameterized.Options training = new Reparameterized.Options(5, KsExperiment.LEARNING_RATE, 1.0, 0);
        MethodResult r = new Reparameterized(CpuBackend.INSTANCE, exp.network(), training)
                .solve(mixed, ProgressListener.NONE);
        assertEquals(5, r.curve().length);
        for (double[] it : r.curve()) for (double l : it) assertTrue(Double.isFinite(l), "training loss " + l);
        for (int i = 0; i < 7; i++) assertTrue(r.unrefined().loss()[i] < 100,
                "problem " + i + ": " + r.unrefined().loss()[i]);
    }

    @Test
    void networkSeesInitialStateAndObservationAsTwoChannels() {
        ProblemSet p = exp.generate(2, 0);
        NetworkInput in = exp.network().input(p);
        assertArrayEquals(new int[] {2, N}, in.shape());
        assertArrayEquals(Arrays.copyOfRange(p.inputs(), N, 2 * N), Arrays.copyOfRange(in.data(), 2 * N, 3 * N), 0.0);
        assertArrayEquals(Arrays.copyOfRange(p.observations(), N, 2 * N), Arrays.copyOfRange(in.data(), 3 * N, 4 * N),
                0.0);
    }

    @Test
    void userObservationsNeedInitialStatesOfMatchingShape() {
        double[] y = new double[2 * N], u0 = new double[2 * N];
        ProblemSet p = exp.fromObservations(y, new int[] {2, N}, u0, new int[] {2, N});
        assertEquals(2, p.size());
        assertEquals(null, p.trueParameters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {2, N}, null, null));
        assertTrue(e.getMessage().contains("--inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {2, N}, new double[N], new int[] {1, N}));
        assertTrue(e.getMessage().contains("--inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> exp.fromObservations(y, new int[] {4, N / 2}, u0, new int[] {4, N / 2}));
        assertTrue(e.getMessage().contains("--observations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new KsProblems(KsProblems.Physics.QUICK.solver(), new double[N], new double[2 * N], null));
        assertTrue(e.getMessage().contains("initial state values"), e.getMessage());
    }

    private static double[] startFor(int n) {
        double[] s = new double[2 * n];
        for (int i = 0; i < n; i++) s[2 * i + 1] = 1;
        return s;
    }
}
