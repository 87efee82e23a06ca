package dev.reparam.experiments;

import dev.reparam.inverse.Bfgs;
import dev.reparam.inverse.Reparameterized;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The methods by name: BFGS (the reference) and the network methods, each refined by BFGS. */
public final class Methods {
    private static final Map<String, NetworkMethod> NETWORK = new LinkedHashMap<>();

    static {
        NETWORK.put(Reparameterized.NAME, (exp, problems, backend, training, progress) ->
                new Reparameterized(backend, exp.network(), training).solve(problems, progress));
    }

    private Methods() {}

    public static List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(Bfgs.NAME);
        all.addAll(NETWORK.keySet());
        return all;
    }

    /** The network method of that name; BFGS is not one (it is run by {@link SolveJob} itself). */
    public static NetworkMethod network(String name) {
        NetworkMethod m = NETWORK.get(name);
        if (m == null) throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", names()));
        return m;
    }

    public static void requireKnown(String name) {
        if (!name.equals(Bfgs.NAME)) network(name);
    }
}
