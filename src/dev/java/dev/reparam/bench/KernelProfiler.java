package dev.reparam.bench;

import dev.reparam.tensor.Backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Backend} that forwards every call to another backend and adds up wall time and call
 * count per op, to show where an iteration's time goes. Hand it to the Tape and Model to profile.
 */
public final class KernelProfiler implements InvocationHandler {
    /** Accumulated time and calls of one op. */
    public static final class Entry {
        long nanos;
        long calls;

        public double millis() { return nanos * 1e-6; }
        public long calls() { return calls; }
    }

    private final Backend target;
    private final Map<String, Entry> entries = new TreeMap<>();

    private KernelProfiler(Backend target) {
        this.target = target;
    }

    /** The profiling backend and its profiler. */
    public static Map.Entry<Backend, KernelProfiler> wrap(Backend target) {
        KernelProfiler p = new KernelProfiler(target);
        Backend proxy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, p);
        return Map.entry(proxy, p);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        long t = System.nanoTime();
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            Entry e = entries.computeIfAbsent(method.getName(), k -> new Entry());
            e.nanos += System.nanoTime() - t;
            e.calls++;
        }
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public void reset() {
        entries.clear();
    }
}
