package dev.reparam.tensor;

/**
 * The vector half of a batched L-BFGS run: every problem's iterate, gradient, direction, trial
 * point, last evaluated point and correction history, and the O(dim) work on them. The scalar
 * half (the Moré–Thuente line search, stop tests, the curvature-skip decision) stays in
 * {@link LbfgsProblem} on the host; it asks for the operations below for a list of problems at
 * a time and gets a few numbers per problem back, so an implementation can keep the vectors on a
 * GPU and run each call as one launch over all listed problems.
 *
 * <p>Every call takes {@code ids}, distinct problem indices in [0, n), and writes its per-problem
 * outputs at the position of the problem in {@code ids} (out[j] belongs to ids[j]). Rows of
 * host arrays (trial points, gradients) are likewise compact: row j belongs to ids[j].
 * {@link HostLbfgsVectors} is the reference; any other implementation must agree with it to
 * rounding.
 */
public interface LbfgsVectors extends AutoCloseable {

    /** Creates the vectors of n problems of dim unknowns, m pairs each, starting at x0 (n * dim). */
    @FunctionalInterface
    interface Factory {
        LbfgsVectors create(int n, int dim, int m, double[] x0);
    }

    /** The reference implementation on the host. */
    Factory HOST = HostLbfgsVectors::new;

    /** A short name for reports, e.g. {@code host} or {@code cuda-f64}. */
    String name();

    /** Copies the trial points of {@code ids} into rows of {@code out} (ids.length * dim), for the objective. */
    void trialPoints(int[] ids, double[] out);

    /** The objective's gradients at those trial points (rows of g): they become the last evaluated point. */
    void storeEvaluated(int[] ids, double[] g);

    /** Start: the evaluated gradient becomes g; max |g_i| and whether every g_i is finite. */
    void adoptStart(int[] ids, double[] maxAbsG, boolean[] finite);

    /** d = -H g by the two-loop recursion over the stored pairs; g'd and d'd. */
    void direction(int[] ids, double[] gd, double[] dd);

    /** trial = x + stp[j] d; same[j] when the trial equals the last evaluated point bit for bit. */
    void setTrial(int[] ids, double[] stp, boolean[] same);

    /** g_e'd at the last evaluated point, and whether every component of g_e is finite. */
    void directionalDerivative(int[] ids, double[] gd, boolean[] finite);

    /** Accepts the last evaluated point: y = g_e - g, x = trial, g = g_e; max |g_i| of the new g. */
    void finish(int[] ids, double[] maxAbsG);

    /** Stores the pair (stp[j] d, y) as the newest, dropping the oldest when m are held; s'y = sy[j] > 0. */
    void push(int[] ids, double[] stp, double[] sy);

    /** Forgets every pair of these problems. */
    void clear(int[] ids);

    /** Every problem's current iterate x (n * dim). */
    void positions(double[] out);

    /** Frees what the vectors hold (device memory); the host implementation holds nothing. */
    @Override
    default void close() {}
}
