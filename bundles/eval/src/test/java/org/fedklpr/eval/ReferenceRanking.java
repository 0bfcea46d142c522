package org.fedklpr.eval;

import java.util.Arrays;
import java.util.Comparator;

import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidMetrics;

/**
 * The protocol written the slow, obvious way (exact squared differences in double, a full sort of
 * the gallery per query, then a walk down the ranking), to check the fast evaluator against.
 */
final class ReferenceRanking {
    private ReferenceRanking() {
    }

    static ReidMetrics evaluate(FeatureSet query, FeatureSet gallery) {
        int scored = 0;
        double[] cmc = new double[10];
        double plain = 0;
        double official = 0;
        for (int q = 0; q < query.size(); q++) {
            float[] x = query.features()[q];
            Integer[] order = new Integer[gallery.size()];
            double[] distance = new double[gallery.size()];
            for (int g = 0; g < order.length; g++) {
                order[g] = g;
                for (int d = 0; d < x.length; d++) {
                    double difference = x[d] - gallery.features()[g][d];
                    distance[g] += difference * difference;
                }
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(g -> distance[g]).thenComparingInt(g -> g));
            int person = query.personIds()[q];
            int rank = 0;
            int matches = 0;
            int first = 0;
            double sumPlain = 0;
            double sumOfficial = 0;
            for (int g : order) {
                int other = gallery.personIds()[g];
                if (other == -1 || (other == person && gallery.cameras()[g] == query.cameras()[q])) {
                    continue;
                }
                rank++;
                if (person != -1 && other == person) {
                    matches++;
                    first = first == 0 ? rank : first;
                    sumPlain += (double) matches / rank;
                    sumOfficial += ((rank == 1 ? 1.0 : (matches - 1.0) / (rank - 1)) + (double) matches / rank) / 2;
                }
            }
            if (matches > 0) {
                scored++;
                plain += sumPlain / matches;
                official += sumOfficial / matches;
                for (int k = first - 1; k < 10; k++) {
                    cmc[k]++;
                }
            }
        }
        return new ReidMetrics(cmc[0] / scored, cmc[4] / scored, cmc[9] / scored, plain / scored, official / scored,
                scored, query.size() - scored);
    }
}
