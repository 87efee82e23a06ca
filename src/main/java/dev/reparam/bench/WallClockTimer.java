package dev.reparam.bench;

/** System.nanoTime around the call: the op's time on the CPU backend, whose ops return when done. */
public final class WallClockTimer implements OpTimer {
    @Override
    public double seconds(Runnable op) {
        long t = System.nanoTime();
        op.run();
        return (System.nanoTime() - t) * 1e-9;
    }

    @Override
    public String method() {
        return "System.nanoTime around each call";
    }
}
