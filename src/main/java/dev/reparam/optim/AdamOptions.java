package dev.reparam.optim;

import dev.reparam.tensor.LrSchedule;

/**
 * Settings of {@link Adam}; {@link #defaults()} are the usual ones (Kingma & Ba, PyTorch), with a
 * constant learning rate.
 *
 * @param maxGradNorm clip the gradient to this global L2 norm before the update;
 *                    {@code Double.POSITIVE_INFINITY} (the default) disables clipping
 * @param schedule    the factor on {@code lr} per update ({@link LrSchedule#CONSTANT} by default)
 */
public record AdamOptions(double lr, double beta1, double beta2, double eps, double maxGradNorm,
                          LrSchedule schedule) {

    public AdamOptions {
        if (!(lr > 0)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        if (!(eps > 0)) throw new IllegalArgumentException("eps must be > 0, got " + eps);
        if (!(maxGradNorm > 0)) throw new IllegalArgumentException("maxGradNorm must be > 0, got " + maxGradNorm);
        if (schedule == null) throw new IllegalArgumentException("schedule must not be null");
    }

    /** A constant learning rate. */
    public AdamOptions(double lr, double beta1, double beta2, double eps, double maxGradNorm) {
        this(lr, beta1, beta2, eps, maxGradNorm, LrSchedule.CONSTANT);
    }

    public static AdamOptions defaults() {
        return new AdamOptions(1e-3, 0.9, 0.999, 1e-8, Double.POSITIVE_INFINITY);
    }

    public AdamOptions withLr(double v) {
        return new AdamOptions(v, beta1, beta2, eps, maxGradNorm, schedule);
    }

    public AdamOptions withBetas(double b1, double b2) {
        return new AdamOptions(lr, b1, b2, eps, maxGradNorm, schedule);
    }

    public AdamOptions withEps(double v) {
        return new AdamOptions(lr, beta1, beta2, v, maxGradNorm, schedule);
    }

    public AdamOptions withMaxGradNorm(double v) {
        return new AdamOptions(lr, beta1, beta2, eps, v, schedule);
    }

    public AdamOptions withSchedule(LrSchedule v) {
        return new AdamOptions(lr, beta1, beta2, eps, maxGradNorm, v);
    }
}
