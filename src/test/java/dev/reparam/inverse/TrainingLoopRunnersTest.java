package dev.reparam.inverse;

import dev.reparam.nn.Linear;
import dev.reparam.nn.Tanh;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.HostReadGuard;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Supervised and NeuralAdjoint hand every training iteration to the backend's IterationRunner
 * (on CUDA: a memory scope each, a graph where recordable), and what they ask to be recorded
 * makes no host transfer (Supervised's training step included, its loss the backend's parameterError);
 * the results are those of the CPU backend (host paths) bit for bit. Runs on the CPU
 * through {@link HostReadGuard}.
 */
class TrainingLoopRunnersTest {
    private static final Reparameterized.Options OPTIONS = new Reparameterized.Options(12, 1e-2, 0.5, 7);

    @Test
    void supervisedTrainsAndAnswersInRunnerIterations() {
        LinearProblems problems = LinearProblems.generate(8, 1), training = LinearProblems.generate(24, 2);
        HostReadGuard guard = new HostReadGuard();
        MethodResult guarded = new Supervised(guard.backend(), new MlpNetwork(16), OPTIONS, training)
                .solve(problems, ProgressListener.NONE);
        // per iteration a training step and the answers' forward pass, then the final answers; with
        // the parameter error on the "device" (the guard's parameterError) all recordable
        assertEquals(2 * OPTIONS.iterations() + 1, guard.bodies());
        assertEquals(2 * OPTIONS.iterations() + 1, guard.recordableBodies());
        assertEquals(List.of(), guard.transfersInBody());

        MethodResult cpu = new Supervised(CpuBackend.INSTANCE, new MlpNetwork(16), OPTIONS, training)
                .solve(problems, ProgressListener.NONE);
        assertArrayEquals(cpu.curve(), guarded.curve());
        assertArrayEquals(cpu.unrefined().xi(), guarded.unrefined().xi(), 0.0);
    }

    @Test
    void neuralAdjointTrainsAndSearchesInRunnerIterations() {
        LinearProblems problems = LinearProblems.generate(6, 3), training = LinearProblems.generate(24, 4);
        NeuralAdjoint.Surrogate mlp = (in, out) -> List.of(new Linear(16), new Tanh(), new Linear(out));
        NeuralAdjoint.Search search = new NeuralAdjoint.Search(4, 9, 0.02);
        HostReadGuard guard = new HostReadGuard();
        MethodResult guarded = new NeuralAdjoint(guard.backend(), mlp, OPTIONS, training, search)
                .solve(problems, ProgressListener.NONE);
        // the surrogate's training steps (recordable), then the search's misfit evaluations
        assertEquals(OPTIONS.iterations() + search.iterations(), guard.bodies());
        assertEquals(OPTIONS.iterations(), guard.recordableBodies());
        // neither body reads back: the search's host work (boundary loss, Adam) follows the body
        assertEquals(List.of(), guard.transfersInBody());

        MethodResult cpu = new NeuralAdjoint(CpuBackend.INSTANCE, mlp, OPTIONS, training, search)
                .solve(problems, ProgressListener.NONE);
        assertArrayEquals(cpu.curve(), guarded.curve());
        assertArrayEquals(cpu.unrefined().xi(), guarded.unrefined().xi(), 0.0);
    }
}
