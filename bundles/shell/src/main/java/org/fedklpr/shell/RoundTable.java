package org.fedklpr.shell;

import java.util.Locale;

import org.fedklpr.api.experiment.ClientRoundMetrics;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.experiment.RoundRecord;

/** The console's view of an experiment: one line per client and round, and a mean per round. */
final class RoundTable {
    static final String HEADER = String.format(Locale.ROOT, "%5s  %-12s %7s %7s %7s %7s %8s %9s %9s  %-10s %6s",
            "round", "client", "rank1", "rank5", "rank10", "mAP", "loss", "up KiB", "down KiB", "aggregator", "sec");

    private RoundTable() {
    }

    static String format(RoundRecord record) {
        StringBuilder text = new StringBuilder();
        long up = 0;
        long down = 0;
        double loss = 0;
        int trained = 0;
        for (ClientRoundMetrics row : record.clients()) {
            text.append(line(String.valueOf(record.round()), row.client(), row.rank1(), row.rank5(), row.rank10(),
                    row.mAP(), row.loss(), row.bytesUp(), row.bytesDown(), row.aggregator(), row.seconds()));
            if (!row.status().equals("trained") && !row.status().equals("idle") && !row.status().equals("initial")) {
                text.append("       ").append(row.client()).append(' ').append(row.status()).append('\n');
            }
            up += row.bytesUp();
            down += row.bytesDown();
            if (row.loss() != null) {
                loss += row.loss();
                trained++;
            }
        }
        text.append(line("", "mean", record.meanRank1(), record.mean(ClientRoundMetrics::rank5),
                record.mean(ClientRoundMetrics::rank10), record.meanMAP(), trained == 0 ? null : loss / trained, up,
                down, record.plan().aggregator(), record.seconds()));
        return text.toString();
    }

    private static String line(String round, String client, double rank1, double rank5, double rank10, double mAP,
            Double loss, long up, long down, String aggregator, double seconds) {
        return String.format(Locale.ROOT, "%5s  %-12s %7s %7s %7s %7s %8s %9.1f %9.1f  %-10s %6.1f%n",
                round, client, percent(rank1), percent(rank5), percent(rank10), percent(mAP),
                loss == null ? "-" : String.format(Locale.ROOT, "%.4f", loss), up / 1024.0, down / 1024.0, aggregator,
                seconds);
    }

    /** A score as a percentage; "-" for a site that did not score. */
    private static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction) : "-";
    }

    static String summary(ExperimentSummary summary) {
        return String.format(Locale.ROOT, "%nFinished %d rounds in %.1f s: mean Rank-1 %.1f%% (initial %.1f%%), mAP %.1f%%"
                + " (initial %.1f%%); sent %.2f MiB up, %.2f MiB down.%nRun directory: %s%n", summary.rounds(),
                summary.seconds(), 100 * summary.finalRank1(), 100 * summary.initialRank1(), 100 * summary.finalMAP(),
                100 * summary.initialMAP(), summary.bytesUp() / 1048576.0, summary.bytesDown() / 1048576.0,
                summary.runDirectory());
    }
}
