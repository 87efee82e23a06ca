package dev.reparam;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of docs/design.md as rules over the shipped classes; a violation fails the build.
 *
 * <pre>
 *   cli  ->  report, bench  ->  sim.* (one package per simulator)  ->  experiments (the Experiment API, runs)
 *                                                                  ->  inverse (methods)  ->  engine
 *                                                              (tensor, autodiff, nn, optim, io, cuda, parallel)
 * </pre>
 * Simulators register their experiment and their device placements as services, so nothing below
 * them names them.
 */
@AnalyzeClasses(packages = "dev.reparam", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] ENGINE = {"dev.reparam.tensor..", "dev.reparam.autodiff..", "dev.reparam.nn..",
            "dev.reparam.optim..", "dev.reparam.io..", "dev.reparam.cuda..", "dev.reparam.parallel.."};

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Cli").definedBy("dev.reparam.cli..")
            .layer("Application").definedBy("dev.reparam.report..", "dev.reparam.bench..")
            .layer("Simulators").definedBy("dev.reparam.sim..")
            .layer("Experiments").definedBy("dev.reparam.experiments..")
            .layer("Methods").definedBy("dev.reparam.inverse..")
            .layer("Engine").definedBy(ENGINE)
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("Application").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Simulators").mayOnlyBeAccessedByLayers("Cli", "Application")
            .whereLayer("Experiments").mayOnlyBeAccessedByLayers("Cli", "Application", "Simulators")
            .whereLayer("Methods").mayOnlyBeAccessedByLayers("Cli", "Application", "Simulators", "Experiments");

    /**
     * The CUDA backend is a backend: it knows tensors and kernels, not the methods, problems or simulators above it.
     */
    @ArchTest
    static final ArchRule cudaKnowsNothingAbove = noClasses().that().resideInAPackage("dev.reparam.cuda..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.reparam.inverse..", "dev.reparam.experiments..",
                    "dev.reparam.optim..", "dev.reparam.sim..", "dev.reparam.cli..", "dev.reparam.report..",
                    "dev.reparam.bench..");

    /**
     * The tensor contract (Tensor, Backend, Storage and the pieces of the device seam) names no
     * implementation: both backends sit beside each other under it.
     */
    @ArchTest
    static final ArchRule tensorContractKnowsNoBackend = noClasses().that().resideInAPackage("dev.reparam.tensor")
            .should().dependOnClassesThat().resideInAnyPackage("dev.reparam.tensor.cpu..", "dev.reparam.cuda..");

    /** The CPU backend is plain Java: it knows the contract, not CUDA. */
    @ArchTest
    static final ArchRule cpuBackendKnowsNoCuda = noClasses().that().resideInAPackage("dev.reparam.tensor.cpu..")
            .should().dependOnClassesThat().resideInAPackage("dev.reparam.cuda..");

    /** Each simulator stands alone. */
    @ArchTest
    static final ArchRule simulatorsAreIndependent = slices().matching("dev.reparam.sim.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.reparam.(*)..").should().beFreeOfCycles();
}
