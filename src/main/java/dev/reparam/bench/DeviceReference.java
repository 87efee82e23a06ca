package dev.reparam.bench;

/**
 * The device's own ceilings, measured on this run, against which each kernel's rates are read:
 * a large copy's bandwidth (bytes read + written per second) and the float64 (or the CUDA
 * dtype's) fused multiply-add rate of a register-bound loop (FLOPs per second, 2 per FMA).
 */
public record DeviceReference(String device, double copyBytesPerSecond, String copyMethod,
                              double peakFlopsPerSecond, String peakMethod) {}
