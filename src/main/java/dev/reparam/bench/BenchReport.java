package dev.reparam.bench;

import java.util.List;

/**
 * Everything one {@code reparam bench} run measured, and the settings it ran under.
 * {@code size} is 0 when the elementwise size came from the network.
 */
public record BenchReport(String version, String backend, String dtype, int threads, int n, int size, int warmup,
                          int repeats, String timer, DeviceReference reference, List<KernelBench.Result> kernels,
                          List<MethodIterations.Result> iterations) {}
