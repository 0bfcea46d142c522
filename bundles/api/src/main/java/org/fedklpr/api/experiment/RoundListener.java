package org.fedklpr.api.experiment;

import java.nio.file.Path;

/**
 * Whiteboard service told about every round as it completes (round 0 is the evaluation of the
 * initial model). Called on the experiment's thread: the next round starts after it returns, which
 * makes it the place to change the configuration "between rounds".
 */
public interface RoundListener {

    void roundCompleted(RoundRecord record);

    /** Round {@code plan.round()} of {@code rounds} starts, with the sites the plan selected. Nothing by default. */
    default void roundStarted(RoundPlan plan, int rounds) {
    }

    /**
     * A site's local training advanced: {@code images} of {@code total} done after {@code seconds}.
     * Told by the sites of this process (simulated ones, or this machine's own site), at most a few
     * times a second each, on their training thread. Nothing by default.
     */
    default void trainingProgress(String site, int round, long images, long total, double seconds) {
    }

    /**
     * The run folder now holds the completed round's logs and checkpoint, and {@code summary.json}
     * once the run has ended (finished or failed): the moment to write views of the folder, such as
     * its report. Called after {@link #roundCompleted} and once more at the end; nothing by default.
     */
    default void runFolderWritten(Path runDirectory) {
    }
}
