package dev.reparam.cli;

import dev.reparam.inverse.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr per phase (one per method, one per refinement). */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private ProgressBar bar;
    private String phase;

    @Override
    public synchronized void progress(String phase, long done, long total, String status) {
        if (!phase.equals(this.phase)) {
            close();
            this.phase = phase;
            bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
        }
        bar.maxHint(total);
        bar.stepTo(done);
        bar.setExtraMessage(" " + status);
    }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
        bar = null;
        phase = null;
    }
}
