package org.fedklpr.api.experiment;

import java.util.List;

/**
 * A completed round: its plan, one row per client, and its wall time.
 *
 * @param clients one row per client of the federation (clients not selected have no loss and no
 *        traffic, but are still evaluated)
 */
public record RoundRecord(RoundPlan plan, List<ClientRoundMetrics> clients, double seconds) {
    public RoundRecord {
        clients = List.copyOf(clients);
    }

    public int round() {
        return plan.round();
    }

    public double meanRank1() {
        return clients.stream().mapToDouble(ClientRoundMetrics::rank1).average().orElse(Double.NaN);
    }

    public double meanMAP() {
        return clients.stream().mapToDouble(ClientRoundMetrics::mAP).average().orElse(Double.NaN);
    }
}
