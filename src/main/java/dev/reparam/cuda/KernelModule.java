package dev.reparam.cuda;

/**
 * One fatbin per op family, built by native/build-kernels.sh from kernels/&lt;name&gt;.cu and packed
 * into the jar under /kernels/. Each is loaded once per context with cuModuleLoadData.
 */
public enum KernelModule {
    ELEMENTWISE("elementwise"),
    ACTIVATIONS("activations"),
    SCALED_TANH("scaled_tanh"),
    LOSSES("losses"),
    ADAM("adam"),
    REDUCTIONS("reductions"),
    DENSE("dense"),
    CONVOLUTION("convolution"),
    BATCH_NORM("batch_norm"),
    POOLING("pooling"),
    POSITIONAL_ENCODING("positional_encoding"),
    WAVEPACKET("wavepacket"),
    BILLIARDS("billiards"),
    BOUND_MAP("bound_map"),
    LBFGS("lbfgs"),
    KS("ks"),
    PEAK("peak"),
    NS_ADVECTION("ns_advection"),
    NS_PROJECTION("ns_projection"),
    NS_FORCES("ns_forces"),
    NS_LOSS("ns_loss");

    private final String fileName;

    KernelModule(String fileName) {
        this.fileName = fileName;
    }

    /** Class-path resource of the fatbin, e.g. {@code /kernels/elementwise.fatbin}. */
    public String resource() {
        return "/kernels/" + fileName + ".fatbin";
    }

    /** True when the build put this module's fatbin on the class path (nvcc was found). */
    public boolean isBuilt() {
        return KernelModule.class.getResource(resource()) != null;
    }
}
