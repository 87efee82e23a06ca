package dev.reparam.cuda;

/** {@link KernelArgs} that also take {@link DeviceOperand}s (the GEMM engines' arrays). */
final class OperandArgs extends KernelArgs {
    OperandArgs(CudaDtype dtype) {
        super(dtype);
    }

    OperandArgs operand(String name, DeviceOperand o) {
        pointer(name, o.address(), o.description());
        return this;
    }

    @Override
    public OperandArgs i32(String name, int value) {
        super.i32(name, value);
        return this;
    }
}
