package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.DeviceMemory;
import dev.reparam.cuda.IntDeviceBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The device buffers of one solver, allocated once (sized for the largest batch) from the
 * backend's memory and freed together, newest first. Nothing allocates inside a rollout or a CG
 * loop.
 */
final class DeviceArena implements AutoCloseable {
    private final DeviceMemory memory;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private long bytes;

    DeviceArena(DeviceMemory memory) {
        this.memory = memory;
    }

    DeviceBuffer values(long length, CudaDtype dtype) {
        DeviceBuffer b = memory.buffer(Math.toIntExact(length), dtype);
        owned.add(b);
        bytes += length * dtype.bytes();
        return b;
    }

    IntDeviceBuffer ints(long length) {
        IntDeviceBuffer b = memory.ints(Math.toIntExact(length));
        owned.add(b);
        bytes += length * Integer.BYTES;
        return b;
    }

    /** Device memory held, in bytes. */
    long bytes() { return bytes; }

    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                else first.addSuppressed(e);
            }
        }
        owned.clear();
        if (first != null) throw first;
    }
}
