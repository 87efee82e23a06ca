package dev.reparam.study;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One reading of the wave-packet experiment for the factor study: the physics the paper leaves
 * open (noise, packet width), the network (widths, depth, batch norm, the last layer's initial
 * scale, input normalisation) and the training (Adam, budget, batch size). {@link #DEFAULT} is
 * what {@code reparam solve wavepacket --profile paper} runs, so its rows reproduce the product.
 *
 * @param batchNorm   "batch" (batch statistics, also for the answer), "none", or "running"
 *                    (trained with batch statistics, answered with the running ones, as an
 *                    evaluation-mode PyTorch model would)
 * @param inputNorm   "none", "problem" (each signal to zero mean and unit std) or "global"
 *                    (all signals divided by one std)
 * @param lastScale   factor on the last layer's initial weights and bias (0: every problem
 *                    starts at t0 = 128 exactly)
 * @param batch       problems per Adam step; 0 is full batch (the paper's text)
 * @param schedule    "constant" (the product's) or "cosine": the rate decays from lr to 0 over
 *                    the iterations ({@code LrSchedule.cosine(iterations, 0)})
 */
public record WavePacketSetup(double noise, double sigma, int[] channels, int hidden, String batchNorm,
                              String inputNorm, double lastScale, double lr, int iterations,
                              double beta1, double beta2, double clip, int batch, String schedule) {
    public static final WavePacketSetup DEFAULT = new WavePacketSetup(0.1, 10, new int[] {16, 16, 32, 32, 32}, 64,
            "batch", "none", 1.0, 1e-4, 1000, 0.9, 0.999, 1.0, 0, "constant");

    public WavePacketSetup {
        channels = channels.clone();
        if (!Arrays.asList("batch", "none", "running").contains(batchNorm)) {
            throw new IllegalArgumentException("bn: batch, none or running, got " + batchNorm);
        }
        if (!Arrays.asList("none", "problem", "global").contains(inputNorm)) {
            throw new IllegalArgumentException("input: none, problem or global, got " + inputNorm);
        }
        if (!Arrays.asList("constant", "cosine").contains(schedule)) {
            throw new IllegalArgumentException("schedule: constant or cosine, got " + schedule);
        }
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    /**
     * This setup with the overrides of a variant such as {@code lr=3e-4,bn=none}; "default" is
     * no override. Keys: noise, sigma, channels (16/16/32), hidden, bn, input, last, lr,
     * iterations, beta1, beta2, clip, batch, schedule.
     */
    public WavePacketSetup with(String variant) {
        if (variant.equals("default")) return this;
        Map<String, String> o = new HashMap<>();
        for (String kv : variant.split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("variant " + variant + ": " + kv + " is not key=value");
            }
            String key = p[0].trim().toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) throw new IllegalArgumentException("variant " + variant + ": unknown key " + key);
            o.put(key, p[1].trim());
        }
        int[] ch = o.containsKey("channels")
                ? Arrays.stream(o.get("channels").split("/")).mapToInt(Integer::parseInt).toArray() : channels;
        return new WavePacketSetup(d(o, "noise", noise), d(o, "sigma", sigma), ch, i(o, "hidden", hidden),
                o.getOrDefault("bn", batchNorm), o.getOrDefault("input", inputNorm), d(o, "last", lastScale),
                d(o, "lr", lr), i(o, "iterations", iterations), d(o, "beta1", beta1), d(o, "beta2", beta2),
                d(o, "clip", clip), i(o, "batch", batch), o.getOrDefault("schedule", schedule));
    }

    private static final List<String> KEYS = List.of("noise", "sigma", "channels", "hidden", "bn", "input", "last",
            "lr", "iterations", "beta1", "beta2", "clip", "batch", "schedule");

    private static double d(Map<String, String> o, String key, double fallback) {
        return o.containsKey(key) ? Double.parseDouble(o.get(key)) : fallback;
    }

    private static int i(Map<String, String> o, String key, int fallback) {
        return o.containsKey(key) ? Integer.parseInt(o.get(key)) : fallback;
    }
}
