package org.fedklpr.client;

/**
 * How far a client's trained model moved from the global one, measured on the client's probe batch
 * (plain Java over the two models' embeddings of the same images):
 *
 * <ul>
 * <li>{@code klaw}: mean over images of KL( softmax(f_g/τ) || softmax(f_k/τ) ), softmax over the
 * embedding's dimensions — FedKLPR's KL-divergence aggregation weight;</li>
 * <li>{@code cdw}: mean over images of 1 − cos(f_g, f_k) — the cosine-distance weight of FedReID and
 * FedCAPR.</li>
 * </ul>
 */
final class ProbeComparison {
    private ProbeComparison() {
    }

    static double klDivergence(float[][] global, float[][] local, double temperature) {
        double sum = 0;
        for (int b = 0; b < global.length; b++) {
            double[] logP = logSoftmax(global[b], temperature);
            double[] logQ = logSoftmax(local[b], temperature);
            for (int d = 0; d < logP.length; d++) {
                sum += Math.exp(logP[d]) * (logP[d] - logQ[d]);
            }
        }
        return global.length == 0 ? 0 : sum / global.length;
    }

    static double cosineDistance(float[][] global, float[][] local) {
        double sum = 0;
        for (int b = 0; b < global.length; b++) {
            double dot = 0;
            double normG = 0;
            double normL = 0;
            for (int d = 0; d < global[b].length; d++) {
                dot += (double) global[b][d] * local[b][d];
                normG += (double) global[b][d] * global[b][d];
                normL += (double) local[b][d] * local[b][d];
            }
            sum += 1 - dot / Math.max(Math.sqrt(normG * normL), 1e-12);
        }
        return global.length == 0 ? 0 : sum / global.length;
    }

    private static double[] logSoftmax(float[] row, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : row) {
            max = Math.max(max, value / temperature);
        }
        double total = 0;
        for (float value : row) {
            total += Math.exp(value / temperature - max);
        }
        double logTotal = max + Math.log(total);
        double[] out = new double[row.length];
        for (int d = 0; d < row.length; d++) {
            out[d] = row[d] / temperature - logTotal;
        }
        return out;
    }
}
