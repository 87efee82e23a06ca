package dev.reparam.experiments;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registry of experiments by name; new experiments are added here and everything else picks them up. */
public final class Experiments {
    private static final Map<String, Experiment> BY_NAME = new TreeMap<>();

    static {
        for (Experiment e : List.<Experiment>of(new WavePacketExperiment(), new BilliardsExperiment(), new KsExperiment(), new NsExperiment())) BY_NAME.put(e.name(), e);
    }

    private Experiments() {}

    public static Experiment byName(String name) {
        Experiment e = BY_NAME.get(name);
        if (e == null) throw new IllegalArgumentException("unknown experiment '" + name + "'; known: " + String.join(", ", names()));
        return e;
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
