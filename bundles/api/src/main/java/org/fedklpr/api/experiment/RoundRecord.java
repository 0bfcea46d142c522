package org.fedklpr.api.experiment;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

/**
 * A completed round: its plan, one row per client, and its wall time.
 *
 * @param clients one row per client of the federation (clients not selected have no loss and no
 *        traffic, but are still evaluated; a site that could not be reached has no scores, NaN)
 */
public record RoundRecord(RoundPlan plan, List<ClientRoundMetrics> clients, double seconds) {
    public RoundRecord {
        clients = List.copyOf(clients);
    }

    public int round() {
        return plan.round();
    }

    public double meanRank1() {
        return mean(ClientRoundMetrics::rank1);
    }

    public double meanMAP() {
        return mean(ClientRoundMetrics::mAP);
    }

    /** The mean of a score over the clients that scored the round's model (a lost site did not). */
    public double mean(ToDoubleFunction<ClientRoundMetrics> score) {
        return meanOfScored(clients.stream().mapToDouble(score));
    }

    /** The mean of the finite values, NaN when there are none: how every mean over clients is taken. */
    public static double meanOfScored(DoubleStream scores) {
        return scores.filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
