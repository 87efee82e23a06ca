package dev.reparam.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.optim.LbfgsOptions;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a run's results, recorded in its summary.json under {@code "run"}: a
 * finished run is reused only for a request with the same record (RunStatus). Thread counts are
 * not part of it (results are bit-identical across them); the version is, because any code
 * change may change results.
 *
 * @param learningRate   Adam's rate as used (the experiment's unless overridden)
 * @param trainingIterations network training iterations as used
 * @param bounds         "prior" or the search bounds as given, e.g. "0:1,-2:2"
 * @param observations   SHA-256 of the user's observations file, null for generated problems
 * @param inputs         SHA-256 of the user's inputs file, null when none
 */
public record RunSpec(String experiment, String profile, int n, long seed, List<String> methods,
                      int trainingIterations, double learningRate, double maxGradNorm, LbfgsOptions lbfgs,
                      String bounds, String backend, String dtype, String observations, String inputs, String version) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Numbers compare by value: 0 read back from a file is an int node, written from a long it was a long node. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.equals(b)) return 0;
        return a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    };

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }

    /**
     * Null when {@code recorded} is this record, else one phrase saying the first difference,
     * e.g. "recorded with profile quick, asked for paper".
     */
    public String differenceFrom(JsonNode recorded) {
        if (recorded == null || !recorded.isObject()) {
            return "its summary.json records no settings (an older reparam, or damaged)";
        }
        JsonNode mine = toJson();
        for (Iterator<Map.Entry<String, JsonNode>> it = mine.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode theirs = recorded.get(e.getKey());
            if (theirs == null || !e.getValue().equals(SAME_VALUE, theirs)) {
                return "recorded with " + e.getKey() + " " + text(theirs) + ", asked for " + text(e.getValue());
            }
        }
        return null;
    }

    private static String text(JsonNode v) {
        if (v == null || v.isMissingNode()) return "(none)";
        if (v.isNull()) return "(none)";
        return v.isTextual() ? v.asText() : v.toString();
    }
}
