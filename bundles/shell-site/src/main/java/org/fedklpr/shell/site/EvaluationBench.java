package org.fedklpr.shell.site;

import java.util.Locale;
import java.util.SplittableRandom;

import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;

/**
 * Times the re-ID evaluator at Market-1501 scale: 3,368 queries against 19,732 gallery entries of
 * 2048-d L2-normalised features (751 identities, 6 cameras, junk and distractors in the gallery,
 * as in the real test split). Features scatter widely around one centre per identity, so rankings are
 * neither perfect nor random and every part of the scorer does real work.
 */
final class EvaluationBench {
    static final int QUERIES = 3368;
    static final int GALLERY = 19732;
    static final int DIMENSION = 2048;
    private static final int IDENTITIES = 750;
    private static final int REPEATS = 3;

    private EvaluationBench() {
    }

    /**
     * @param blas an engine's dot products, for the reference: one product of the whole query set
     *        with the whole gallery, the same shapes as the evaluation's; {@code null} when the
     *        runtime has none
     */
    static String run(ReidEvaluator evaluator, DotProducts blas, BenchRatios ratios) {
        SplittableRandom random = new SplittableRandom(3);
        float[][] centres = new float[IDENTITIES + 1][DIMENSION];
        for (float[] centre : centres) {
            for (int d = 0; d < DIMENSION; d++) {
                centre[d] = (float) random.nextDouble(-0.25, 0.25);
            }
        }
        FeatureSet query = features(random, centres, QUERIES, false);
        FeatureSet gallery = features(random, centres, GALLERY, true);
        double best = Double.MAX_VALUE;
        ReidMetrics metrics = null;
        for (int repeat = 0; repeat < REPEATS; repeat++) {
            long started = System.nanoTime();
            metrics = evaluator.evaluate(query, gallery);
            best = Math.min(best, (System.nanoTime() - started) / 1e9);
        }
        double gflop = 2.0 * QUERIES * GALLERY * DIMENSION / 1e9;
        String table = String.format(Locale.ROOT, "Evaluating %d queries against %d gallery features of %d"
                + " dimensions (Market-1501 scale), best of %d:%n%n"
                + "| seconds | distance GFLOP/s | Rank-1 | mAP | official mAP | queries |%n|---|---|---|---|---|---|%n"
                + "| %.2f | %.1f | %.3f | %.3f | %.3f | %d |%n", QUERIES, GALLERY, DIMENSION, REPEATS, best,
                gflop / best, metrics.rank1(), metrics.mAP(), metrics.officialMAP(), metrics.queries());
        if (blas == null) {
            return table + "%nNo engine offers a BLAS here: no reference product.%n".formatted();
        }
        double product = oneProduct(blas, query, gallery);
        ratios.add("evaluation at Market-1501 scale, s", String.format(Locale.ROOT, "%.2f", best),
                String.format(Locale.ROOT, "%.2f (one BLAS product of the same shapes)", product), best / product,
                "at most 1.5");
        return table + String.format(Locale.ROOT, "%nReference: one product of all %d queries with the %d-entry"
                + " gallery by the engine's BLAS (copies in and out included), best of %d: %.2f s, %.1f GFLOP/s;"
                + " evaluation / product: **%.2f** (target at most 1.5)%n", QUERIES, GALLERY, REPEATS, product,
                gflop / product, best / product);
    }

    /** Seconds of the best of {@value #REPEATS} whole products. */
    static double oneProduct(DotProducts blas, FeatureSet query, FeatureSet gallery) {
        double best = Double.MAX_VALUE;
        float[] out = new float[query.size() * gallery.size()];
        try (DotProducts.Loaded loaded = blas.load(gallery.features())) {
            for (int repeat = 0; repeat < REPEATS; repeat++) {
                long started = System.nanoTime();
                loaded.dots(query.features(), 0, query.size(), out);
                best = Math.min(best, (System.nanoTime() - started) / 1e9);
            }
        }
        return best;
    }

    private static FeatureSet features(SplittableRandom random, float[][] centres, int count, boolean gallery) {
        float[][] rows = new float[count][DIMENSION];
        int[] persons = new int[count];
        int[] cameras = new int[count];
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            // Market's test gallery: about 13 % junk (-1) and 15 % distractors (0000).
            persons[i] = gallery && kind < 13 ? -1 : gallery && kind < 28 ? 0 : 1 + random.nextInt(IDENTITIES);
            cameras[i] = 1 + random.nextInt(6);
            float[] centre = centres[Math.max(0, persons[i])];
            double norm = 0;
            for (int d = 0; d < DIMENSION; d++) {
                rows[i][d] = centre[d] + (float) (1.2 * random.nextDouble(-1, 1));
                norm += rows[i][d] * rows[i][d];
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < DIMENSION; d++) {
                rows[i][d] *= scale;
            }
        }
        return new FeatureSet(rows, persons, cameras);
    }
}
