package dev.reparam.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reparam.inverse.MethodResult;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.inverse.Solution;
import dev.reparam.io.Errors;
import dev.reparam.io.FileDigest;
import dev.reparam.io.Npy;
import dev.reparam.io.StagedDirectory;
import dev.reparam.tensor.Shapes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a solve run into a directory: the problems, per-method per-problem arrays as NPY (so
 * NumPy users can load them directly), and summary.json, which lists every other file with its
 * size and SHA-256 (so a resume or a report can tell a complete run from a damaged one). The
 * directory is a staging directory ({@link StagedDirectory}): nothing here is visible under the
 * run's name before the whole run is written.
 */
final class ResultWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final Map<String, Object> files = new LinkedHashMap<>();

    /**
     * Writes into {@code dir}, which must exist: the writer never creates it, so that a staging
     * directory removed by the shutdown hook (SIGTERM mid-run) is not made again by a run that is
     * still going; its next write fails instead.
     */
    public ResultWriter(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such directory");
        this.dir = dir;
    }

    public void writeProblems(ProblemSet p) throws IOException {
        int n = p.size();
        npy("observations.npy", p.observations(), Shapes.withBatch(n, p.observationShape()));
        if (p.inputs() != null) npy("inputs.npy", p.inputs(), Shapes.withBatch(n, p.inputShape()));
        if (p.trueParameters() != null) npy("true_parameters.npy", p.trueParameters(), n, p.dim());
    }

    /**
     * {@code <method>_parameters.npy}, {@code _loss.npy}, their {@code _refined} versions, {@code _curve.npy}
     * [iterations, n].
     */
    public void writeMethod(MethodResult r, int dim) throws IOException {
        String m = r.method();
        writeSolution(m, r.unrefined(), dim);
        if (r.refined() != null) writeSolution(m + "_refined", r.refined(), dim);
        double[][] curve = r.curve();
        if (curve.length > 0) {
            int n = curve[0].length;
            double[] flat = new double[curve.length * n];
            for (int i = 0; i < curve.length; i++) System.arraycopy(curve[i], 0, flat, i * n, n);
            npy(m + "_curve.npy", flat, curve.length, n);
        }
    }

    private void writeSolution(String prefix, Solution s, int dim) throws IOException {
        int n = s.loss().length;
        npy(prefix + "_parameters.npy", s.xi(), n, dim);
        npy(prefix + "_loss.npy", s.loss(), n);
        if (s.iterations() != null) {
            npy(prefix + "_iterations.npy", toDouble(s.iterations()), n);
            npy(prefix + "_evaluations.npy", toDouble(s.evaluations()), n);
        }
    }

    /** summary.json: the run's fields, its methods, and the files written before it. */
    public void writeSummary(Map<String, Object> run, Map<String, ?> methods) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(run);
        all.put("methods", methods);
        all.put("files", files);
        try {
            JSON.writeValue(dir.resolve("summary.json").toFile(), all);
        } catch (IOException e) {
            throw new IOException("cannot write " + dir.resolve("summary.json") + ": " + Errors.reason(e), e);
        }
    }

    private void npy(String name, double[] data, int... shape) throws IOException {
        Path file = dir.resolve(name);
        Npy.write(file, data, shape);
        files.put(name, Map.of("bytes", Files.size(file), "sha256", FileDigest.sha256(file)));
    }

    private static double[] toDouble(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
