package dev.reparam.tensor;

/**
 * Adam's learning rate over the steps, as a factor on the base rate: constant, or cosine decay
 * from 1 to {@code floor} over {@code decaySteps} steps and {@code floor} after them, as PyTorch's
 * {@code CosineAnnealingLR(T_max = decaySteps, eta_min = floor lr)} stepped once per update. The
 * factor is a function of the step count alone, so a device computes it where the count lives
 * (kernels/adam.cu, adam_prepare) and a captured iteration needs no new launch arguments.
 *
 * @param decaySteps steps of the decay; 0 is the constant rate
 * @param floor      the factor at the end of the decay, in [0, 1]
 */
public record LrSchedule(int decaySteps, double floor) {
    public static final LrSchedule CONSTANT = new LrSchedule(0, 1);

    public LrSchedule {
        if (decaySteps < 0) throw new IllegalArgumentException("decay steps must be >= 0, got " + decaySteps);
        if (!(floor >= 0 && floor <= 1)) throw new IllegalArgumentException("floor must be in [0, 1], got " + floor);
    }

    /** Cosine decay to {@code floor} times the base rate over {@code steps} updates. */
    public static LrSchedule cosine(int steps, double floor) {
        if (steps < 1) throw new IllegalArgumentException("cosine decay needs >= 1 step, got " + steps);
        return new LrSchedule(steps, floor);
    }

    /** The factor on the base rate at update {@code step} (1 for the first update). */
    public double factor(int step) {
        if (decaySteps == 0) return 1;
        double done = Math.min(step - 1, decaySteps);
        return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * done / decaySteps));
    }

    @Override
    public String toString() {
        return decaySteps == 0 ? "constant" : "cosine(" + decaySteps + ", floor " + floor + ")";
    }
}
