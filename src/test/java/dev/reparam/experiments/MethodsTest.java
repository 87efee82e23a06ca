package dev.reparam.experiments;

import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.NeuralAdjoint;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Reparameterized;
import dev.reparam.inverse.Supervised;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodsTest {
    private final Experiment wavepacket = Experiments.byName("wavepacket");

    @Test
    void registersTheNetworkMethodsAfterBfgs() {
        assertEquals(List.of("bfgs", Reparameterized.NAME, Supervised.NAME, NeuralAdjoint.NAME), Methods.names());
    }

    @Test
    void trainingSetIsFixedByTheSeedAndDiffersFromTheProblems() {
        ProblemSet problems = wavepacket.generate(4, 0);
        Reparameterized.Options training = wavepacket.training(SolveJob.networkSeed(0), Profile.QUICK);
        ProblemSet a = Methods.trainingSet(wavepacket, problems, training),
                b = Methods.trainingSet(wavepacket, problems, training);
        assertEquals(4, a.size());
        assertArrayEquals(a.trueParameters(), b.trueParameters(), 0.0);
        assertNotEquals(problems.trueParameters()[0], a.trueParameters()[0]);
        assertNotEquals(Methods.trainingSetSeed(1), Methods.trainingSetSeed(2));
    }

    @Test
    void everyNetworkMethodAnswersInsideTheBoundsOnTheWavePacket() {
        ProblemSet problems = wavepacket.generate(2, 3);
        Reparameterized.Options training = new Reparameterized.Options(3, 1e-4, 1.0, 1);
        for (String name : Methods.names()) {
            if (name.equals("bfgs")) continue;
            MethodResult r = Methods.network(name).solve(wavepacket, problems, CpuBackend.INSTANCE, training,
                    ProgressListener.NONE);
            assertEquals(name, r.method());
            // one row per training iteration (per search iteration for the neural adjoint), one column per problem
            assertEquals(name.equals("neural-adjoint") ? NeuralAdjoint.Search.DEFAULT.iterations() : 3,
                    r.curve().length);
            assertEquals(problems.size(), r.curve()[0].length);
            for (double t0 : r.unrefined().xi()) assertTrue(t0 >= 64 && t0 <= 192, name + ": t0 " + t0);
            for (double l : r.unrefined().loss()) assertTrue(Double.isFinite(l), name);
        }
    }
}
