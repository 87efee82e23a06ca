package dev.reparam.parallel;

import dev.reparam.cli.Main;
import dev.reparam.cuda.interpreter.Interpreter;
import dev.reparam.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * reparam under {@code mpirun -np K} on this machine (oversubscribed, CPU backend): the binding's
 * collectives, a 2-rank solve against the 1-rank one, and failures. Skipped where Open MPI is
 * missing, except under .ci/run, which installs it and sets REPARAM_REQUIRE_MPI so that a missing
 * MPI fails instead.
 */
class MpiRunTest {
    /** The network methods' answers of K ranks against one: the gradient and batch-norm sums round differently. */
    private static final double REPARAM_RELATIVE = 1e-8;

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsMpi() {
        boolean present = MpiCommunicator.isBuilt() && Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "mpirun")));
        if (System.getenv("REPARAM_REQUIRE_MPI") != null) {
            assertTrue(present, "REPARAM_REQUIRE_MPI is set, but mpirun or the MPI binding is missing");
        }
        assumeTrue(present, "Open MPI not installed (Debian: openmpi-bin libopenmpi-dev)");
    }

    private record Ran(int code, String out, String err) {}

    private Ran mpirun(int ranks, String mainClass, String... args) throws IOException, InterruptedException {
        return run(ranks, Map.of(), mainClass, args);
    }

    /** {@code ranks} processes under mpirun, or 0: one process without it; {@code env} added to theirs. */
    private Ran run(int ranks, Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (ranks > 0) cmd.addAll(List.of("mpirun", "-q", "--oversubscribe", "-np", String.valueOf(ranks)));
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "mpirun", ".out"), err = Files.createTempFile(tmp, "mpirun", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        // CI may run as root, which Open MPI refuses unless told
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        assertTrue(ended, "mpirun still running after 180 s (a hang): " + Files.readString(err));
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void collectivesGiveRankOrderResultsOnTwoAndThreeRanks() throws Exception {
        for (int k : new int[] {2, 3}) {
            Ran r = mpirun(k, CollectivesProbe.class.getName());
            assertEquals(0, r.code(), r.err());
            double s0 = 0, s1 = 0;
            for (int rank = 0; rank < k; rank++) {
                s0 += 1e16 * (rank == 0 ? 1 : -1) + rank + 0.5;
                s1 += rank + 1;
            }
            assertEquals(String.join("\n", "size " + k, "broadcast [3.25, 7.0]",
                    String.format(Locale.ROOT, "sum %.17g %.17g", s0, s1),
                    "gather [0.0, 1.0, 2.0, 3.0, 4.0]") + "\n", r.out());
        }
    }

    private List<String> solveArgs(String experiment, Path out) {
        return List.of("solve", experiment, "--n", "16", "--seed", "3", "--methods",
                "bfgs,reparam,supervised,neural-adjoint",
                "--profile", "quick", "--iterations", "30", "--threads", "1", "--quiet", "--out", out.toString());
    }

    @Test
    void twoRanksWriteTheOneRankFilesAndRepeatThemBitForBit() throws Exception {
        for (String experiment : List.of("wavepacket", "billiards")) {
            Path one = tmp.resolve(experiment + "-1"), two = tmp.resolve(experiment + "-2"),
                    again = tmp.resolve(experiment + "-2again");
            assertEquals(0, Main.run(solveArgs(experiment, one).toArray(String[]::new)));
            for (Path dir : List.of(two, again)) {
                Ran r = mpirun(2, Main.class.getName(), solveArgs(experiment, dir).toArray(String[]::new));
                assertEquals(0, r.code(), r.err());
                assertEquals(1, r.out().lines().filter(l -> l.startsWith("results written to")).count(),
                        "only rank 0 prints the table: " + r.out());
            }
            List<String> names;
            try (Stream<Path> s = Files.list(one)) {
                names = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted().toList();
            }
            try (Stream<Path> s = Files.list(two)) {
                assertEquals(names, s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted()
                        .toList());
            }
            for (String f : names) {
                assertArrayEquals(Files.readAllBytes(two.resolve(f)), Files.readAllBytes(again.resolve(f)),
                        experiment + " " + f + ": two 2-rank runs differ");
                double[] a = Npy.read(one.resolve(f)).data(), b = Npy.read(two.resolve(f)).data();
                boolean network = Stream.of("reparam_", "supervised_", "neural-adjoint_").anyMatch(f::startsWith);
                if (!network) {
                    // BFGS solves each problem alone: its rank changes nothing
                    assertArrayEquals(a, b, experiment + " " + f);
                    continue;
                }
                assertEquals(a.length, b.length, f);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], REPARAM_RELATIVE * Math.max(Math.abs(a[i]), 1e-12),
                            experiment + " " + f + "[" + i + "]: " + Arrays.toString(Arrays.copyOf(b, 4)));
                }
            }
        }
    }

    @Test
    void ranksThatGenerateOnlyTheirPartSolveTheOneProcessProblems() throws Exception {
        // KS and Navier-Stokes simulate only the rank's part of the targets (Experiment.generatePart)
        for (String experiment : List.of("kuramoto-sivashinsky", "navier-stokes")) {
            Path one = tmp.resolve(experiment + "-1"), two = tmp.resolve(experiment + "-2");
            List<String> args = List.of("solve", experiment, "--n", "4", "--seed", "1", "--methods", "bfgs",
                    "--profile", "quick", "--threads", "1", "--quiet", "--out");
            assertEquals(0, Main.run(Stream.concat(args.stream(), Stream.of(one.toString())).toArray(String[]::new)));
            Ran r = mpirun(2, Main.class.getName(),
                    Stream.concat(args.stream(), Stream.of(two.toString())).toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            List<String> files;
            try (Stream<Path> s = Files.list(one)) {
                files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted().toList();
            }
            assertTrue(files.contains("observations.npy") && files.contains("bfgs_parameters.npy"), files.toString());
            for (String f : files) {
                assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)),
                        experiment + " " + f);
            }
        }
    }

    @Test
    void ranksThatReadOnlyTheirRowsOfTheFilesSolveTheOneProcessProblems() throws Exception {
        Path generated = tmp.resolve("generated"), one = tmp.resolve("one"), two = tmp.resolve("two");
        assertEquals(0, Main.run("solve", "billiards", "--n", "5", "--seed", "2", "--methods", "bfgs", "--quiet",
                "--threads", "1", "--out", generated.toString()));
        // 5 problems over 2 ranks: rows 0-2 and 3-4 of each file
        List<String> args = List.of("solve", "billiards", "--observations", generated.resolve("observations.npy")
                .toString(), "--inputs", generated.resolve("inputs.npy").toString(), "--methods", "bfgs", "--quiet",
                "--threads", "1", "--out");
        assertEquals(0, Main.run(Stream.concat(args.stream(), Stream.of(one.toString())).toArray(String[]::new)));
        Ran r = mpirun(2, Main.class.getName(),
                Stream.concat(args.stream(), Stream.of(two.toString())).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("observations.npy", "inputs.npy", "bfgs_parameters.npy", "bfgs_loss.npy")) {
            assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)), f);
        }
    }

    @Test
    void aSweepUnderMpirunWritesTheOneProcessTables() throws Exception {
        Path one = tmp.resolve("sweep-1"), two = tmp.resolve("sweep-2");
        List<String> args = List.of("reproduce", "--experiments", "wavepacket,billiards", "--n", "4,5", "--seeds",
                "1", "--methods", "bfgs,reparam", "--profile", "quick", "--iterations", "5", "--threads", "1", "--out");
        assertEquals(0, Main.run(Stream.concat(args.stream(), Stream.of(one.toString())).toArray(String[]::new)));
        Ran r = mpirun(2, Main.class.getName(),
                Stream.concat(args.stream(), Stream.of(two.toString())).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("4 runs: 4 executed")).count(),
                "only rank 0 reports: " + r.out());
        // each run is one solve over both ranks: BFGS's files as one process's, the network's within rounding
        for (String f : List.of("table2.csv", "table2_by_n.csv", "runs/billiards/n5-s0/bfgs_parameters.npy",
                "runs/wavepacket/n5-s0/observations.npy")) {
            assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)), f);
        }
    }

    @Test
    void twoRanksOnTheCudaBackendEachOpenTheirDeviceAndMatchOneProcess() throws Exception {
        assumeTrue(Interpreter.isBuilt(), "the CUDA interpreter is not in this build (no nvcc)");
        Map<String, String> interpret = Map.of("REPARAM_CUDA", "interpret");
        List<Path> dirs = List.of(tmp.resolve("cuda-1"), tmp.resolve("cuda-2"), tmp.resolve("cuda-2again"));
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Ran r = run(i == 0 ? 0 : 2, interpret, Main.class.getName(), "solve", "wavepacket", "--n", "8", "--seed",
                    "0", "--methods", "bfgs,reparam", "--profile", "quick", "--iterations", "5", "--threads", "1",
                    "--backend", "cuda", "--out", dirs.get(i).toString());
            assertEquals(0, r.code(), r.err());
            if (i == 1) r.err().lines().filter(l -> l.contains("CUDA backend")).sorted().forEach(devices::add);
        }
        // each rank names the device it opened; the interpreter has one, so both take device 0
        assertEquals(2, devices.size(), String.join("\n", devices));
        for (int rank = 0; rank < 2; rank++) {
            String expected = "reparam: rank " + rank + " of 2: CUDA backend float64 on device 0, ";
            assertTrue(devices.get(rank).startsWith(expected), devices.get(rank));
        }
        for (String f : List.of("bfgs_parameters.npy", "reparam_parameters.npy", "reparam_loss.npy",
                "reparam_curve.npy", "reparam_refined_loss.npy")) {
            assertArrayEquals(Files.readAllBytes(dirs.get(1).resolve(f)), Files.readAllBytes(dirs.get(2).resolve(f)),
                    f + ": two 2-rank runs differ");
            double[] a = Npy.read(dirs.get(0).resolve(f)).data(), b = Npy.read(dirs.get(1).resolve(f)).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], REPARAM_RELATIVE * Math.max(Math.abs(a[i]), 1e-12), f + "[" + i + "]");
            }
        }
    }

    @Test
    void aFailingRankStopsEveryRankWithOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        // only rank 0 checks and writes --out, so only it fails; rank 1 is then waiting for it in a collective
        Ran r = mpirun(2, Main.class.getName(), solveArgs("wavepacket", file.resolve("out")).toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("reparam: rank 0 of 2: error: --out " + file.resolve("out") + ": cannot create " + file
                + ": File exists"), r.err().lines().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void aRankWhoseRowsOfTheFileAreBadStopsEveryRankNamingTheProblem() throws Exception {
        // 6 problems over 2 ranks: problem 4 is rank 1's second row
        double[] y = new double[6 * 256];
        for (int i = 0; i < y.length; i++) y[i] = Math.sin(0.1 * i);
        y[4 * 256 + 5] = Double.NaN;
        Path file = tmp.resolve("bad-rows.npy");
        Npy.write(file, y, 6, 256);
        Ran r = mpirun(2, Main.class.getName(), "solve", "wavepacket", "--observations", file.toString(),
                "--methods", "bfgs", "--threads", "1", "--quiet", "--out", tmp.resolve("z").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("reparam: rank 1 of 2: error: observations: value NaN of problem 4 (element 5) is not "
                + "finite"), r.err().lines().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void aFailureEveryRankSeesIsNamedOnce() throws Exception {
        Path missing = tmp.resolve("missing.npy");
        // every rank reads the observations, so every rank fails the same way
        Ran r = mpirun(2, Main.class.getName(), "solve", "wavepacket", "--observations", missing.toString(),
                "--threads", "1", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("reparam: rank 0 of 2: error: --observations " + missing + ": missing file"),
                r.err().lines().filter(l -> !l.isBlank()).toList());
        r = mpirun(2, Main.class.getName(), "solve", "navier-stokes", "--n", "1", "--profile", "quick",
                "--threads", "1", "--out", tmp.resolve("y").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("reparam: rank 0 of 2: error: --n 1: fewer problems than the 2 ranks of this MPI run; "
                + "every rank needs at least one"), r.err().lines().filter(l -> !l.isBlank()).toList());
    }
}
