package dev.reparam.cuda;

import dev.reparam.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device copies of small constant arrays (scaledTanh's {@code mid} and {@code half}: a problem
 * set's bounds), by content: uploaded the first time these values are seen, so that iterations
 * after the first, and a captured graph, do no host copy. A problem set has a handful of such
 * arrays, so the cache stays small; it lives as long as its backend.
 */
final class DeviceConstants implements AutoCloseable {
    private final CudaBackend backend;
    private final Map<List<Double>, Tensor> cache = new HashMap<>();

    DeviceConstants(CudaBackend backend) {
        this.backend = backend;
    }

    Tensor of(double[] values) {
        List<Double> key = Arrays.stream(values).boxed().toList();
        Tensor t = cache.get(key);
        if (t == null) {
            t = backend.longLived(values.length);
            backend.copyFromHost(values, t);
            cache.put(key, t);
        }
        return t;
    }

    @Override
    public void close() {
        cache.values().forEach(backend::release);
        cache.clear();
    }
}
