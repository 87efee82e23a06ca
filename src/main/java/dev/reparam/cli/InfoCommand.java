package dev.reparam.cli;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.experiments.Experiments;
import dev.reparam.tensor.CpuBackend;
import dev.reparam.tensor.Parallel;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Prints version, backend (and whether CUDA could run here), threads, and what can be solved. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print version, backend and threads.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("reparam      " + Version.get());
        System.out.println("java         " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("backend      " + CpuBackend.INSTANCE.name() + " (float64; the CUDA backend's kernels and runtime are in progress)");
        System.out.println("             " + CudaAvailability.infoLine());
        System.out.println("threads      " + Parallel.threads());
        System.out.println("experiments  " + String.join(", ", Experiments.names()));
        return 0;
    }
}
