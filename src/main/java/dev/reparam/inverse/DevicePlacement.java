package dev.reparam.inverse;

import dev.reparam.tensor.Backend;

/**
 * A simulator's implementation of its problems on one kind of backend (for example wave-packet
 * problems on CUDA). Simulators register theirs as a service (a line naming the class in
 * {@code META-INF/services/dev.reparam.inverse.DevicePlacement}, and a public no-argument
 * constructor); {@link Placement} picks the one whose problem and backend types match. A user's
 * own problem set gets a device implementation the same way, without touching reparam.
 *
 * @param <P> the problem sets it places
 * @param <B> the backend it places them on
 */
public abstract class DevicePlacement<P extends ProblemSet, B extends Backend> {
    private final Class<P> problemType;
    private final Class<B> backendType;

    protected DevicePlacement(Class<P> problemType, Class<B> backendType) {
        this.problemType = problemType;
        this.backendType = backendType;
    }

    /** {@code problems} evaluated on {@code backend}; the data go there once, here. */
    protected abstract PlacedProblems place(P problems, B backend);

    /** Whether this implementation is for these problems on this backend. */
    final boolean fits(ProblemSet problems, Backend backend) {
        return problemType.isInstance(problems) && backendType.isInstance(backend);
    }

    /** {@link #place} after {@link #fits} said yes. */
    final PlacedProblems placeChecked(ProblemSet problems, Backend backend) {
        return place(problemType.cast(problems), backendType.cast(backend));
    }

    @Override
    public String toString() {
        return problemType.getSimpleName() + " on " + backendType.getSimpleName();
    }
}
