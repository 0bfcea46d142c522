package org.fedklpr.report;

import java.nio.file.Path;

import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.experiment.RoundRecord;
import org.osgi.service.component.annotations.Component;

/** Rewrites a run's {@code report.html} whenever its folder has been brought up to date. */
@Component
public final class ReportWriter implements RoundListener {

    @Override
    public void roundCompleted(RoundRecord record) {
        // Nothing here: runFolderWritten, told next, writes the page (and once more when the run ends).
    }

    @Override
    public void runFolderWritten(Path runDirectory) {
        RunReport.write(runDirectory);
    }
}
