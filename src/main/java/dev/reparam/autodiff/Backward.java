package dev.reparam.autodiff;

/** The vector-Jacobian product of one recorded op: reads {@code output.grad()} and accumulates into its inputs. */
@FunctionalInterface
public interface Backward {
    void apply(Var output);
}
