package dev.reparam.experiments;

import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.ks.CudaKuramotoSivashinsky;
import dev.reparam.inverse.Bounds;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.physics.ks.KuramotoSivashinsky;

/**
 * {@link KsProblems} evaluated on the GPU: the same problems, bounds and data, with
 * lossAndGradient run by {@link CudaKuramotoSivashinsky} in the backend's dtype. The initial
 * states and observations go to the device once; each call sends the problem indices and xi
 * and gets back one loss and two gradient entries per problem. A diverged problem gets
 * {@link KsProblems#DIVERGED_LOSS} and a zero gradient, as on the CPU. Close it (device memory)
 * before the backend.
 */
public final class CudaKsProblems implements ProblemSet, AutoCloseable {
    private final KsProblems problems;
    private final CudaKuramotoSivashinsky solver;
    private final CudaKuramotoSivashinsky.Problems resident;

    public CudaKsProblems(KsProblems problems, CudaBackend backend) {
        this.problems = problems;
        KuramotoSivashinsky cpu = problems.solver();
        this.solver = CudaKuramotoSivashinsky.like(cpu, backend.device(), backend.kernels(), backend.dtype());
        try {
            this.resident = solver.upload(problems.inputs(), problems.observations());
        } catch (RuntimeException e) {
            solver.close();
            throw e;
        }
    }

    @Override public int size() { return problems.size(); }
    @Override public Bounds bounds() { return problems.bounds(); }
    @Override public double[] initialGuess() { return problems.initialGuess(); }
    @Override public double[] observations() { return problems.observations(); }
    @Override public int[] observationShape() { return problems.observationShape(); }
    @Override public double[] inputs() { return problems.inputs(); }
    @Override public int[] inputShape() { return problems.inputShape(); }
    @Override public double[] trueParameters() { return problems.trueParameters(); }

    @Override
    public void lossAndGradient(int[] rows, double[] xi, double[] loss, double[] gradient) {
        resident.lossAndGradient(rows, xi, loss, gradient, null);
        for (int j = 0; j < rows.length; j++) if (loss[j] == Double.POSITIVE_INFINITY) loss[j] = KsProblems.DIVERGED_LOSS;
    }

    @Override
    public void close() {
        resident.close();
        solver.close();
    }
}
