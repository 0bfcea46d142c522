package org.fedklpr.shell;

import java.time.LocalTime;

import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.experiment.RoundPlan;
import org.fedklpr.api.experiment.RoundRecord;
import org.osgi.service.component.annotations.Component;

/**
 * Prints every completed round of this runtime's experiments to standard output, followed by a line
 * that says how long it took and when the run should end; on a terminal, also a status line that
 * follows each site's local training and is erased when the round's table is printed (in a log
 * file it would be noise).
 */
@Component
public final class ConsoleTable implements RoundListener {
    private final boolean terminal = System.console() != null;
    private final RunProgress progress = new RunProgress();
    /** The length of the status line on screen, 0 when none is. */
    private int statusShown;

    @Override
    public synchronized void roundStarted(RoundPlan plan, int rounds) {
        progress.roundStarted(rounds);
    }

    @Override
    public synchronized void trainingProgress(String site, int round, long images, long total, double seconds) {
        if (!terminal) {
            return;
        }
        String line = progress.training(site, round, images, total, seconds);
        System.out.print("\r" + line + " ".repeat(Math.max(0, statusShown - line.length())));
        System.out.flush();
        statusShown = line.length();
    }

    @Override
    public synchronized void roundCompleted(RoundRecord record) {
        if (statusShown > 0) {
            System.out.print("\r" + " ".repeat(statusShown) + "\r");
            statusShown = 0;
        }
        if (record.round() == 0) {
            System.out.println(RoundTable.HEADER);
        }
        System.out.print(RoundTable.format(record));
        String done = progress.roundDone(record.round(), record.seconds(), LocalTime.now());
        if (!done.isEmpty()) {
            System.out.println("       " + done);
        }
        System.out.flush();
    }
}
