package dev.reparam.bench;

import dev.reparam.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * How {@code reparam bench} times kernels and measures the ceilings of one kind of backend (a
 * GPU's events and its copy and FMA rates). Registered as a service (a line in
 * {@code META-INF/services/dev.reparam.bench.BenchDevice}) like the simulators' device
 * placements; a backend without one is timed by the wall clock against the CPU's ceilings.
 *
 * @param <B> the backend it measures
 */
public abstract class BenchDevice<B extends Backend> {
    private static final List<BenchDevice<?>> REGISTERED = load();

    private final Class<B> type;

    protected BenchDevice(Class<B> type) {
        this.type = type;
    }

    /** A timer of ops queued on {@code backend}. */
    protected abstract OpTimer timer(B backend);

    /** The device's copy bandwidth and peak rate, measured now. */
    protected abstract DeviceReference ceilings(B backend, boolean quick);

    static OpTimer timerFor(Backend backend) {
        for (BenchDevice<?> d : REGISTERED) if (d.type.isInstance(backend)) return d.timerChecked(backend);
        return new WallClockTimer();
    }

    static DeviceReference ceilingsFor(Backend backend, boolean quick) {
        for (BenchDevice<?> d : REGISTERED) if (d.type.isInstance(backend)) return d.ceilingsChecked(backend, quick);
        return CpuReference.measure(quick);
    }

    private OpTimer timerChecked(Backend backend) {
        return timer(type.cast(backend));
    }

    private DeviceReference ceilingsChecked(Backend backend, boolean quick) {
        return ceilings(type.cast(backend), quick);
    }

    private static List<BenchDevice<?>> load() {
        List<BenchDevice<?>> found = new ArrayList<>();
        for (BenchDevice<?> d : ServiceLoader.load(BenchDevice.class, BenchDevice.class.getClassLoader())) found.add(d);
        return List.copyOf(found);
    }
}
