package dev.reparam.tensor;

/**
 * {@link AdamSteps} with the bookkeeping in Java fields: the norm comes back from
 * {@link Backend#sumOfSquares} and the step is one {@link Backend#adamUpdate}. The reference for
 * every device implementation, and what any backend without one uses.
 */
final class HostAdamSteps implements AdamSteps {
    private final Backend backend;
    private final Tensor params, grads, m, v;
    private final double lr, beta1, beta2, eps, maxGradNorm;
    private final LrSchedule schedule;
    private int steps;
    private boolean failed;
    private double failedNorm;

    HostAdamSteps(Backend backend, Tensor params, Tensor grads, Tensor m, Tensor v, double lr, double beta1,
                  double beta2, double eps, double maxGradNorm, LrSchedule schedule) {
        this.backend = backend;
        this.params = params;
        this.grads = grads;
        this.m = m;
        this.v = v;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.maxGradNorm = maxGradNorm;
        this.schedule = schedule;
    }

    @Override
    public void queueStep() {
        if (failed) return;
        double norm = Math.sqrt(backend.sumOfSquares(grads));
        if (!Double.isFinite(norm)) {
            failed = true;
            failedNorm = norm;
            return;
        }
        // norm == 0 gives maxGradNorm / 0 = infinity, i.e. no scaling, as wanted
        double gradScale = Math.min(1, maxGradNorm / norm);
        steps++;
        backend.adamUpdate(params, grads, m, v, lr * schedule.factor(steps), beta1, beta2, eps, steps, gradScale);
    }

    @Override
    public Status status() {
        return new Status(steps, failed, failed ? failedNorm : 0);
    }

    @Override
    public void close() {
    }
}
