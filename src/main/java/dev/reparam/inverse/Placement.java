package dev.reparam.inverse;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Where a problem set's physics runs: the one place that decides it. The backend is chosen once
 * (the command line's {@code --backend}); {@link #place} then puts the problems on it through the
 * simulator's registered {@link DevicePlacement} for that backend, or, where there is none (the
 * CPU backend, a user's problem set without a device implementation), keeps them on the host.
 * Every method, BFGS and refinement included, evaluates the placed problems, so all of them run
 * their physics in the same place for every experiment.
 */
public final class Placement {
    /** Registered device implementations, in the order the class path lists them. */
    private static final List<DevicePlacement<?, ?>> REGISTERED = load();

    private Placement() {}

    /**
     * {@code problems} evaluated on {@code backend}: on its device where a placement is registered, else on the host.
     */
    public static PlacedProblems place(ProblemSet problems, Backend backend) {
        for (DevicePlacement<?, ?> p : REGISTERED) {
            if (p.fits(problems, backend)) return p.placeChecked(problems, backend);
        }
        return new OnHost(problems, backend);
    }

    /** The registered implementations, e.g. for a report of what runs where. */
    public static List<String> registered() {
        return REGISTERED.stream().map(DevicePlacement::toString).toList();
    }

    private static List<DevicePlacement<?, ?>> load() {
        List<DevicePlacement<?, ?>> found = new ArrayList<>();
        for (DevicePlacement<?, ?> p : ServiceLoader.load(DevicePlacement.class, Placement.class.getClassLoader())) {
            found.add(p);
        }
        return List.copyOf(found);
    }

    /** Problems whose physics stays on the host: everything answered by the problem set itself. */
    private static final class OnHost extends ForwardingProblemSet implements PlacedProblems {
        private final Backend backend;

        OnHost(ProblemSet problems, Backend backend) {
            super(problems);
            this.backend = backend;
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
            base.lossAndGradient(problems, xi, loss, gradient);
        }

        @Override
        public BatchedLoss batchedLoss(Backend on, Bounds bounds) {
            return base.batchedLoss(on, bounds);
        }

        @Override
        public void close() {
        }
    }
}
