package org.fedklpr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidMetrics;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. Features are points on a line, so the ranking is by |x_query - x_gallery|
 * and every expected value can be checked with pencil and paper.
 */
class MarketProtocolTest {
    private static final double EPS = 1e-9;

    private static FeatureSet points(float[] xs, int[] persons, int[] cameras) {
        float[][] features = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            features[i] = new float[] {xs[i]};
        }
        return new FeatureSet(features, persons, cameras);
    }

    private static FeatureSet query(float x, int person, int camera) {
        return points(new float[] {x}, new int[] {person}, new int[] {camera});
    }

    @Test
    void matchAtFirstRankWithSecondMatchThird() {
        // gallery by distance: A(p1) 0.1, B(p2) 0.2, C(p1) 0.3, D(p3) 0.4
        FeatureSet gallery = points(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new int[] {1, 2, 1, 3}, new int[] {2, 2, 3, 2});
        ReidMetrics m = MarketProtocol.evaluate(query(0, 1, 1), gallery);
        assertEquals(1.0, m.rank1(), EPS);
        // matches at ranks 1 and 3: AP = (1/1 + 2/3) / 2
        assertEquals((1.0 + 2.0 / 3) / 2, m.mAP(), EPS);
        assertEquals(1, m.queries());
    }

    @Test
    void sameCameraMatchesAndJunkAreRemovedButDistractorsCount() {
        // by distance: same-person-same-camera 0.1 (removed), junk 0.2 (removed), distractor 0.3,
        // true match (camera 2) 0.4, stranger 0.5
        FeatureSet gallery = points(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, new int[] {7, -1, 0, 7, 4},
                new int[] {1, 2, 2, 2, 1});
        ReidMetrics m = MarketProtocol.evaluate(query(0, 7, 1), gallery);
        assertEquals(0.0, m.rank1(), EPS);
        assertEquals(1.0, m.rank5(), EPS);
        assertEquals(0.5, m.mAP(), EPS); // the only match is second among the valid entries
    }

    @Test
    void tiesKeepGalleryOrder() {
        // Both entries are at distance 0.25: the non-match comes first in the gallery, so it ranks first.
        FeatureSet gallery = points(new float[] {0.5f, -0.5f}, new int[] {3, 2}, new int[] {2, 2});
        ReidMetrics m = MarketProtocol.evaluate(query(0, 2, 1), gallery);
        assertEquals(0.0, m.rank1(), EPS);
        assertEquals(0.5, m.mAP(), EPS);
        // Swap the gallery order and the match wins the tie.
        FeatureSet swapped = points(new float[] {-0.5f, 0.5f}, new int[] {2, 3}, new int[] {2, 2});
        assertEquals(1.0, MarketProtocol.evaluate(query(0, 2, 1), swapped).rank1(), EPS);
    }

    @Test
    void queriesWithoutValidMatchAreLeftOutOfTheAverages() {
        FeatureSet queries = points(new float[] {0f, 10f}, new int[] {1, 5}, new int[] {1, 1});
        // person 5 appears only under the query's own camera: no valid match
        FeatureSet gallery = points(new float[] {0.1f, 10.1f, 3f}, new int[] {1, 5, 2}, new int[] {2, 1, 2});
        ReidMetrics m = MarketProtocol.evaluate(queries, gallery);
        assertEquals(1, m.queries());
        assertEquals(1, m.queriesWithoutMatch());
        assertEquals(1.0, m.rank1(), EPS);
        assertEquals(1.0, m.mAP(), EPS);
    }

    @Test
    void averagesOverQueriesAndCmcIsCumulative() {
        // query a (person 1): match at valid rank 1; query b (person 2): match at valid rank 6
        FeatureSet queries = points(new float[] {0f, 100f}, new int[] {1, 2}, new int[] {1, 1});
        float[] xs = {0.1f, 101f, 102f, 103f, 104f, 105f, 106f};
        int[] persons = {1, 8, 8, 8, 8, 8, 2};
        int[] cameras = {2, 2, 2, 2, 2, 2, 2};
        ReidMetrics m = MarketProtocol.evaluate(queries, points(xs, persons, cameras));
        assertEquals(0.5, m.rank1(), EPS);
        assertEquals(0.5, m.rank5(), EPS);
        assertEquals(1.0, m.rank10(), EPS);
        // query b ranks: 101..105 strangers, 106 match at rank 6; the gallery entry 0.1 is rank 7 for it
        assertEquals((1.0 + 1.0 / 6) / 2, m.mAP(), EPS);
        assertEquals(2, m.queries());
    }

    @Test
    void distractorQueriesAreNotScored() {
        FeatureSet gallery = points(new float[] {0.1f}, new int[] {0}, new int[] {2});
        ReidMetrics m = MarketProtocol.evaluate(query(0, 0, 1), gallery);
        assertEquals(0, m.queries());
        assertEquals(1, m.queriesWithoutMatch());
    }

    @Test
    void mismatchedDimensionsAndNonFiniteFeaturesAreRejected() {
        FeatureSet twoD = new FeatureSet(new float[][] {{1, 2}}, new int[] {1}, new int[] {1});
        assertThrows(IllegalArgumentException.class, () -> MarketProtocol.evaluate(query(0, 1, 1), twoD));
        FeatureSet nan = points(new float[] {Float.NaN}, new int[] {1}, new int[] {2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MarketProtocol.evaluate(query(0, 1, 1), nan));
        assertEquals("gallery feature 0 is not finite (NaN)", e.getMessage());
    }
}
