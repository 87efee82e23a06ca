package dev.reparam.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel's parameter list in declaration order, with a readable description of each value
 * for error messages. Floating-point scalars are passed in the kernel's dtype. Not final:
 * CudaBackend adds tensor arguments (device address of a view) in a subclass.
 */
public class KernelArgs {
    private final CudaDtype dtype;
    private final List<NativePointerObject> pointers = new ArrayList<>();
    private final List<String> described = new ArrayList<>();

    public KernelArgs(CudaDtype dtype) {
        this.dtype = dtype;
    }

    public KernelArgs buffer(String name, DeviceBuffer b) {
        return pointer(name, b.pointer(), b.toString());
    }

    public KernelArgs buffer(String name, IntDeviceBuffer b) {
        return pointer(name, b.pointer(), b.toString());
    }

    /** A null device pointer, for an optional output the kernel skips. */
    public KernelArgs absent(String name) {
        return pointer(name, new CUdeviceptr(), "null");
    }

    /** A raw device pointer, for buffers owned elsewhere (the pool, a view's offset). */
    public KernelArgs pointer(String name, CUdeviceptr p, String what) {
        pointers.add(Pointer.to(p));
        described.add(name + "=" + what);
        return this;
    }

    public KernelArgs i32(String name, int value) {
        pointers.add(Pointer.to(new int[] {value}));
        described.add(name + "=" + value);
        return this;
    }

    /** A T-typed scalar: float for FLOAT32 kernels, double for FLOAT64. */
    public KernelArgs scalar(String name, double value) {
        pointers.add(dtype == CudaDtype.FLOAT32 ? Pointer.to(new float[] {(float) value})
                : Pointer.to(new double[] {value}));
        described.add(name + "=" + value);
        return this;
    }

    /** A double scalar whatever the dtype (batch norm's eps, kept in double on the device). */
    public KernelArgs f64(String name, double value) {
        pointers.add(Pointer.to(new double[] {value}));
        described.add(name + "=" + value);
        return this;
    }

    Pointer parameters() {
        return Pointer.to(pointers.toArray(new NativePointerObject[0]));
    }

    @Override
    public String toString() {
        return String.join(", ", described);
    }
}
