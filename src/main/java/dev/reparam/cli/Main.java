package dev.reparam.cli;

import dev.reparam.cuda.CudaFailure;
import dev.reparam.cuda.OutOfDeviceMemory;
import dev.reparam.io.Errors;
import dev.reparam.io.Version;
import dev.reparam.parallel.Communicator;
import dev.reparam.parallel.Communicators;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The command line. Bad input of any kind ends in one line on stderr and exit code 2, a GPU
 * failure (out of device memory, a driver call) in one line and exit code 3; only a genuine
 * internal failure prints a stack trace (exit code 1).
 */
@Command(name = "reparam", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Solve many inverse problems at once: batched L-BFGS and reparameterized optimisation.",
        subcommands = {SolveCommand.class, ReproduceCommand.class, BenchCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_BAD_INPUT = 2;
    /** The GPU failed: out of memory, or a driver call (the message says which). */
    public static final int EXIT_DEVICE_FAILURE = 3;
    /** The command finished but left something out (reproduce: runs whose summaries did not validate). */
    public static final int EXIT_PARTIAL = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: solve, reproduce, bench or info; reparam help describes them");
    }

    /** "reparam: error: ", or under mpirun "reparam: rank 1 of 2: error: ", so the one line names the rank. */
    private static String errorPrefix = "reparam: error: ";

    public static void main(String[] args) {
        if (!Communicators.launchedByMpi(System.getenv())) System.exit(run(args));
        Communicator world;
        try {
            world = Communicators.world();
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            System.err.println(errorPrefix + Errors.oneLine(e.getMessage()));
            System.exit(EXIT_BAD_INPUT);
            return;
        }
        errorPrefix = "reparam: rank " + world.rank() + " of " + world.size() + ": error: ";
        if (world.isRoot()) {
            int code = run(args);
            // the other ranks may wait in a collective for this one: a failure ends them all, never a hang
            if (code != 0) world.stopAll(code);
            System.exit(0);
        }
        // A failure every rank sees (a bad option, an unreadable file) is named once, by rank 0: another
        // rank holds its line back a moment, in which rank 0's stop ends it; a failure of its own it names.
        PrintStream err = System.err;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        System.setErr(new PrintStream(held, true, StandardCharsets.UTF_8));
        int code = run(args);
        System.setErr(err);
        if (code != 0) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        err.print(held.toString(StandardCharsets.UTF_8));
        err.flush();
        if (code != 0) world.stopAll(code);
        System.exit(0);
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof IOException
                    || ex instanceof UncheckedIOException) {
                // one line that keeps the OS's reason ("No space left on device"), never a trace
                commandLine.getErr().println(errorPrefix + Errors.describe(ex));
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof OutOfDeviceMemory || ex instanceof CudaFailure) {
                // the message names the request or the driver call; a stack trace would add nothing
                commandLine.getErr().println(errorPrefix + ex.getMessage());
                return EXIT_DEVICE_FAILURE;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            ex.getCommandLine().getErr().println(errorPrefix + Errors.oneLine(ex.getMessage()));
            return EXIT_BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // MemoryEstimate refuses what cannot fit before it starts; this is the backstop for what it missed
            cl.getErr().println(errorPrefix + "out of memory (this JVM may use "
                    + MemoryEstimate.gib(Runtime.getRuntime().maxMemory()) + "): lower --n or raise -Xmx");
            return EXIT_BAD_INPUT;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"reparam " + Version.get()};
        }
    }
}
