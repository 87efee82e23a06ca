package dev.reparam.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The machine-readable form of a {@link BenchReport}. The field names are a stable interface
 * (scripts compare runs by them); {@code schema} changes when one is renamed or removed. Times
 * in seconds, rates in GB/s (1e9 bytes) and GFLOP/s (1e9 FLOPs), fractions in [0, 1] (more
 * where a kernel beats the reference, e.g. from cache); a rate that cannot be formed is null.
 */
public final class BenchJson {
    public static final String SCHEMA = "reparam-bench/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {}

    public static String format(BenchReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("version", r.version());
        root.put("backend", r.backend());
        root.put("dtype", r.dtype());
        root.put("threads", r.threads());
        root.put("n", r.n());
        if (r.size() > 0) root.put("size", r.size());
        else root.putNull("size");
        root.put("warmup", r.warmup());
        root.put("repeats", r.repeats());
        root.put("timer", r.timer());
        ObjectNode ref = root.putObject("reference");
        ref.put("device", r.reference().device());
        number(ref, "copyGBPerSecond", r.reference().copyBytesPerSecond() * 1e-9);
        ref.put("copyMethod", r.reference().copyMethod());
        number(ref, "peakGFlopPerSecond", r.reference().peakFlopsPerSecond() * 1e-9);
        ref.put("peakMethod", r.reference().peakMethod());
        ArrayNode kernels = root.putArray("kernels");
        for (KernelBench.Result k : r.kernels()) {
            ObjectNode o = kernels.addObject();
            o.put("op", k.kase().op());
            o.put("shape", k.kase().shape());
            o.put("bytes", k.kase().work().bytes());
            o.put("flops", k.kase().work().flops());
            o.put("rotationSets", k.rotationSets());
            times(o, k.seconds());
            number(o, "gbPerSecond", k.bytesPerSecond() * 1e-9);
            number(o, "gflopPerSecond", k.flopsPerSecond() * 1e-9);
            number(o, "copyFraction", k.copyFraction());
            number(o, "peakFraction", k.peakFraction());
        }
        ArrayNode iterations = root.putArray("iterations");
        for (MethodIterations.Result m : r.iterations()) {
            ObjectNode o = iterations.addObject();
            o.put("experiment", m.experiment());
            o.put("method", m.method());
            o.put("n", m.n());
            times(o, m.seconds());
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench report to JSON", e);
        }
    }

    private static void times(ObjectNode o, Stats s) {
        o.put("samples", s.samples());
        number(o, "medianSeconds", s.median());
        number(o, "minSeconds", s.min());
        number(o, "p10Seconds", s.p10());
        number(o, "p90Seconds", s.p90());
    }

    /** JSON has no NaN or infinity: a rate over a zero time, or of a zero reference, is null. */
    private static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) o.put(name, v);
        else o.putNull(name);
    }
}
