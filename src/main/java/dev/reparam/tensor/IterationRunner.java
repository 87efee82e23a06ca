package dev.reparam.tensor;

import java.util.function.Supplier;

/**
 * Runs the iterations of a training loop. The loop hands over each iteration as a body that
 * queues its work on the backend and returns the tensor to read back (the per-problem losses);
 * the runner returns that tensor's values on the host. A GPU backend may record the body once
 * per key and replay the recording instead of calling the body again (CUDA graphs), so a body
 * must:
 * <ul>
 *   <li>queue the same work, on the same tensors, every time it is called with an equal key
 *       (change the key when shapes or buffers change; the runner then records again);</li>
 *   <li>read nothing from the device on the host (no toHost, no sum) and keep every value that
 *       changes between iterations on the device (Adam's step count, for example).</li>
 * </ul>
 * Tensors the body makes are temporaries of that iteration: they may be recycled once
 * {@link #run} returns. Close the runner when the loop ends.
 */
public interface IterationRunner extends AutoCloseable {
    double[] run(Object key, Supplier<Tensor> body);

    @Override
    void close();

    /** Calls the body every time and reads its result (the CPU, or a GPU with graphs off and no scopes). */
    static IterationRunner eager() {
        return new IterationRunner() {
            @Override
            public double[] run(Object key, Supplier<Tensor> body) {
                return body.get().toHost();
            }

            @Override
            public void close() {}
        };
    }
}
