package dev.reparam.bench;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fresh tensors of random values for the benchmarks' input sets, remembered so that a CUDA
 * backend's device memory goes back to its pool as soon as a benchmark is done.
 */
final class TensorSource {
    private final Backend backend;
    private final SplittableRandom rng;
    private final List<Tensor> made = new ArrayList<>();

    TensorSource(Backend backend, long seed) {
        this.backend = backend;
        this.rng = new SplittableRandom(seed);
    }

    Backend backend() {
        return backend;
    }

    /**
     * Values in [0.5, 1.5): positive (Adam's second moment, batch norm's 1/std), far from zero, so no
     * denormals, NaN or infinities slow an op down or let it skip work.
     */
    Tensor random(int... shape) {
        double[] v = new double[Tensor.sizeOf(shape)];
        for (int i = 0; i < v.length; i++) v[i] = 0.5 + rng.nextDouble();
        Tensor t = backend.fromHost(v, shape);
        made.add(t);
        return t;
    }

    double[] randomHost(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 0.5 + rng.nextDouble();
        return v;
    }

    /** Frees every tensor made so far (device memory back to the pool; on the CPU, to the garbage collector). */
    void releaseAll() {
        made.forEach(backend::release);
        made.clear();
    }
}
