package dev.reparam.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device array handed to a library-style routine (a {@link GemmEngine}): its address and how
 * to name it in an error message, e.g. {@code f32[64, 20]}.
 */
record DeviceOperand(CUdeviceptr address, String description) {
    /** The null pointer, for an absent bias (the kernels skip it). */
    static final DeviceOperand NONE = new DeviceOperand(new CUdeviceptr(), "null");

    boolean isNone() {
        return this == NONE;
    }
}
