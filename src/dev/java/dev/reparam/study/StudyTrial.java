package dev.reparam.study;

import dev.reparam.experiments.Experiments;
import dev.reparam.experiments.SolveJob;
import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSets;
import dev.reparam.inverse.ProgressListener;
import dev.reparam.inverse.Refinement;
import dev.reparam.inverse.Solution;
import dev.reparam.tensor.cpu.CpuBackend;

/**
 * One (setup, n, seed) of the factor study: BFGS from the prior as the reference, the
 * reparameterized training, its answers (t0, loss and dL/dt0) and their BFGS refinement, as the
 * product's `solve` does them. {@link WavePacketStudy} and {@link RefinementMoves} both read it.
 */
record StudyTrial(StudyProblems problems, Solution reference, StudyTraining.Outcome training, double[] xi,
                  double[] loss, double[] gradient, Solution refined) {

    static StudyTrial run(WavePacketSetup setup, int n, long seed) {
        StudyProblems problems = new StudyProblems(n, seed, setup);
        Bfgs bfgs = new Bfgs(Experiments.byName("wavepacket").lbfgs());
        Solution reference = bfgs.solve(problems, ProgressListener.NONE).unrefined();
        StudyTraining.Outcome o = StudyTraining.train(CpuBackend.INSTANCE, problems, setup,
                SolveJob.networkSeed(seed));
        double[] xi = new double[n], loss = new double[n], gradient = new double[n];
        problems.bounds().toPhysical(o.z(), xi);
        problems.lossAndGradient(ProblemSets.all(n), xi, loss, gradient);
        MethodResult trained = new MethodResult("reparam", new Solution(o.z(), xi, loss, null, null, null), null,
                null, 0, 0);
        Solution refined = new Refinement(bfgs).refine(problems, trained, ProgressListener.NONE).refined();
        return new StudyTrial(problems, reference, o, xi, loss, gradient, refined);
    }
}
