package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Storage;

/** float64 storage in the Java heap, used by {@link CpuBackend}. */
public final class HostStorage extends Storage {
    final double[] data;

    public HostStorage(double[] data) {
        this.data = data;
    }

    @Override
    public int length() {
        return data.length;
    }
}
