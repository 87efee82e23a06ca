package dev.reparam.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/slurm as Slurm would run it: the array tasks with the environment Slurm gives them, then
 * the report job; and submit against a stand-in sbatch that records what it was asked.
 */
class SlurmScriptsTest {
    private static final List<String> SWEEP = List.of("--experiments", "wavepacket", "--n", "2,4", "--seeds", "2",
            "--methods", "bfgs,reparam", "--profile", "quick", "--iterations", "5");

    @TempDir
    Path tmp;

    private String reparam() {
        return ProcessHandle.current().info().command().orElse("java") + " -cp " + System.getProperty("java.class.path")
                + " " + Main.class.getName();
    }

    private record Ran(int code, String out) {}

    private Ran bash(Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("script.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "script still running");
        return new Ran(p.exitValue(), Files.readString(tmp.resolve("script.log")));
    }

    @Test
    void arrayTasksThenTheReportJobGiveTheWholeSweepsTables() throws Exception {
        Path whole = tmp.resolve("whole");
        List<String> wholeArgs = new ArrayList<>(List.of("reproduce", "--out", whole.toString()));
        wholeArgs.addAll(SWEEP);
        assertEquals(0, CliRunner.run(wholeArgs.toArray(String[]::new)).code());

        Path shared = tmp.resolve("shared");
        // an array numbered from 0, as --array=0-1 makes it
        for (String task : List.of("0", "1")) {
            List<String> cmd = new ArrayList<>(List.of("bash", "bench/slurm/reproduce.sbatch"));
            cmd.addAll(SWEEP);
            Ran r = bash(Map.of("REPARAM", reparam(), "REPARAM_OUT", shared.toString(), "SLURM_ARRAY_TASK_ID", task,
                    "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_COUNT", "2", "SLURM_CPUS_PER_TASK", "1"), cmd);
            assertEquals(0, r.code(), r.out());
            int shard = Integer.parseInt(task) + 1;
            assertTrue(r.out().contains("shard " + shard + "/2 finished"), r.out());
        }
        Ran report = bash(Map.of("REPARAM", reparam(), "REPARAM_OUT", shared.toString()),
                List.of("bash", "bench/slurm/report.sbatch"));
        assertEquals(0, report.code(), report.out());
        for (String f : List.of("table2.csv", "table2_by_n.csv")) {
            assertEquals(Files.readString(whole.resolve(f)), Files.readString(shared.resolve(f)), f);
        }
    }

    @Test
    void aTaskOfSeveralSlurmTasksStartsItsShardThroughSrun() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("srun.calls");
        // a stand-in srun: records its arguments, then runs the command as one process
        Path srun = bin.resolve("srun");
        Files.writeString(srun, "#!/usr/bin/env bash\necho \"$*\" >> " + calls + "\nshift\nexec \"$@\"\n");
        Files.setPosixFilePermissions(srun, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("bash", "bench/slurm/reproduce.sbatch"));
        cmd.addAll(SWEEP);
        Ran r = bash(Map.of("PATH", bin + ":" + System.getenv("PATH"), "REPARAM", reparam(), "REPARAM_OUT",
                tmp.resolve("out").toString(), "SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "1",
                "SLURM_NTASKS", "4", "SLURM_CPUS_PER_TASK", "1"), cmd);
        assertEquals(0, r.code(), r.out());
        List<String> lines = Files.readAllLines(calls);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("--mpi=pmix ") && lines.get(0).contains(" reproduce --shard 1/1 --out "),
                lines.get(0));
    }

    @Test
    void submitQueuesTheArrayAndTheReportAfterIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("sbatch.calls");
        // a stand-in sbatch: one line per call, and a job id as --parsable prints it
        Path sbatch = bin.resolve("sbatch");
        Files.writeString(sbatch, "#!/usr/bin/env bash\necho \"$*\" >> " + calls + "\n"
                + "n=$(wc -l < " + calls + ")\necho \"$((4000 + n));cluster\"\n");
        Files.setPosixFilePermissions(sbatch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Ran r = bash(Map.of("PATH", bin + ":" + System.getenv("PATH"), "REPARAM_OUT", "/shared/sweep"),
                List.of("bash", "bench/slurm/submit", "3", "--experiments", "billiards"));
        assertEquals(0, r.code(), r.out());
        List<String> lines = Files.readAllLines(calls);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("--parsable --export=ALL --array=1-3 \\S+/reproduce.sbatch --experiments "
                + "billiards"), lines.get(0));
        assertTrue(lines.get(1).matches("--parsable --export=ALL --dependency=afterok:4001 \\S+/report.sbatch"),
                lines.get(1));
        assertTrue(r.out().contains("job array 4001 (3 shards) into /shared/sweep; report: job 4002 after it"),
                r.out());

        Ran bad = bash(Map.of("PATH", bin + ":" + System.getenv("PATH"), "REPARAM_OUT", "/shared/sweep"),
                List.of("bash", "bench/slurm/submit", "none"));
        assertEquals(2, bad.code(), bad.out());
        assertEquals(1, bad.out().strip().lines().count(), bad.out());
    }
}
