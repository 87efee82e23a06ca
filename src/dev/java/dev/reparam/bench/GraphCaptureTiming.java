package dev.reparam.bench;

import dev.reparam.cuda.Backends;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.experiments.Experiment;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.PlacedProblems;
import dev.reparam.inverse.Placement;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Reparameterized;

import java.util.ArrayList;
import java.util.List;

/**
 * Milliseconds per reparameterized iteration (the wave packet by default, or another experiment by
 * name, e.g. kuramoto-sivashinsky, whose losses then come from the device z too) on the CUDA
 * backend with CUDA graphs off and on: the production loop ({@link Reparameterized#solve}, losses read back every
 * iteration), timed between its progress reports at iteration {@value #SKIP} and the last, so set-up, the
 * eager first iteration and the capture are left out. Also prints how many blocks the memory pool
 * allocated from the driver over the timed iterations (0 in the steady state).
 * Run on a machine with a GPU:
 * {@code java -cp target/reparam.jar dev.reparam.bench.GraphCaptureTiming [float64|float32] [experiment] 64 1024
 * 16384}.
 */
public final class GraphCaptureTiming {
    private static final int ITERATIONS = 220, SKIP = 20;

    private GraphCaptureTiming() {}

    public static void main(String[] args) {
        CudaAvailability cuda = CudaAvailability.probe();
        if (!cuda.available()) {
            System.err.println("GraphCaptureTiming needs a CUDA device: " + cuda.detail());
            System.exit(2);
        }
        CudaDtype dtype = CudaDtype.FLOAT64;
        List<Integer> sizes = new ArrayList<>();
        String experiment = "wavepacket";
        for (String a : args) {
            if (a.startsWith("float")) dtype = Backends.parseDtype(a);
            else if (Character.isLetter(a.charAt(0))) experiment = a;
            else sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) sizes = List.of(64, 1024, 16384);
        Experiment exp = Experiments.byName(experiment);
        System.out.printf("%s, %s, %s, %d iterations timed after %d%n", exp.name(), cuda.detail(), dtype,
                ITERATIONS - SKIP, SKIP);
        System.out.println("n\tgraphs off ms/it\tgraphs on ms/it\tspeed-up\tdriver allocations while timed (off, on)");
        for (int n : sizes) {
            ProblemSet problems = exp.generate(n, 0);
            double[] off = time(exp, problems, dtype, false), on = time(exp, problems, dtype, true);
            System.out.printf("%d\t%.3f\t%.3f\t%.2fx\t%d, %d%n", n, off[0], on[0], off[0] / on[0], (long) off[1],
                    (long) on[1]);
        }
    }

    /** {ms per iteration, driver allocations} over iterations SKIP..ITERATIONS. */
    private static double[] time(Experiment exp, ProblemSet problems, CudaDtype dtype, boolean graphs) {
        try (CudaBackend backend = CudaBackend.open(dtype)) {
            backend.setGraphs(graphs);
            long[] startNanos = new long[1], startAllocations = new long[1];
            double[] result = new double[2];
            Reparameterized method = new Reparameterized(backend, exp.network(),
                    new Reparameterized.Options(ITERATIONS, 1e-4, 1.0, 1));
            // the experiment's problems as the backend evaluates them (on the device)
            try (PlacedProblems placed = Placement.place(problems, backend)) {
                method.solve(placed, (phase, done, total, status) -> {
                    if (!phase.equals(Reparameterized.NAME)) return;
                    if (done == SKIP) {
                        startNanos[0] = System.nanoTime();
                        startAllocations[0] = backend.driverAllocations();
                    } else if (done == ITERATIONS) {
                        result[0] = (System.nanoTime() - startNanos[0]) * 1e-6 / (ITERATIONS - SKIP);
                        result[1] = backend.driverAllocations() - startAllocations[0];
                    }
                });
            }
            return result;
        }
    }
}
