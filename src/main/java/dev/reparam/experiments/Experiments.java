package dev.reparam.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of experiments by name. Each simulator registers its experiment as a service (a
 * line in {@code META-INF/services/dev.reparam.experiments.Experiment}, and a public no-argument
 * constructor), so a new experiment is picked up by every command without this class knowing it.
 */
public final class Experiments {
    private static final Map<String, Experiment> BY_NAME = new TreeMap<>();
    /**
     * Short names accepted wherever an experiment is named. They only select the experiment: its
     * {@link Experiment#name()} stays the canonical one, so output directories and summaries do not
     * depend on which name was typed.
     */
    private static final Map<String, String> ALIASES = new TreeMap<>();

    static {
        for (Experiment e : ServiceLoader.load(Experiment.class, Experiments.class.getClassLoader())) {
            BY_NAME.put(e.name(), e);
            for (String alias : e.aliases()) ALIASES.put(alias, e.name());
        }
    }

    private Experiments() {}

    /** The experiment of a canonical name or an alias, in any letter case. */
    public static Experiment byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Experiment e = BY_NAME.get(ALIASES.getOrDefault(key, key));
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "'; known: " + namesWithAliases());
        }
        return e;
    }

    /** The canonical names. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The canonical names, each followed by its aliases: "kuramoto-sivashinsky (ks)". */
    static String namesWithAliases() {
        List<String> out = new ArrayList<>();
        for (String name : BY_NAME.keySet()) {
            List<String> aliases = ALIASES.entrySet().stream().filter(a -> a.getValue().equals(name))
                    .map(Map.Entry::getKey).toList();
            out.add(aliases.isEmpty() ? name : name + " (" + String.join(", ", aliases) + ")");
        }
        return String.join(", ", out);
    }
}
