package dev.reparam.optim;

import dev.reparam.tensor.Tensor;

/**
 * A backend that takes Adam steps without reading the gradient norm on the host: the clip
 * scale, the step count and the bias corrections stay on the device, so a training iteration
 * can be captured in a CUDA graph and replayed. {@link Adam} uses it when its backend has it.
 */
public interface DeviceAdamBackend {
    /** Device state for Adam on these tensors (all of this backend, m and v zero); close it when done. */
    DeviceAdam adamOnDevice(Tensor params, Tensor grads, Tensor m, Tensor v, AdamOptions options);
}
