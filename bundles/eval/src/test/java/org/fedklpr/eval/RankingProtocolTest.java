package org.fedklpr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.RankedList;
import org.fedklpr.api.eval.RankedList.Verdict;
import org.fedklpr.api.eval.ReidMetrics;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases. Features are points on a line, so the ranking is by |x_query - x_gallery|
 * and every expected value can be checked with pencil and paper.
 */
class RankingProtocolTest {
    private static final RankingProtocol PROTOCOL = new RankingProtocol(1, 3);
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
        ReidMetrics m = PROTOCOL.evaluate(query(0, 1, 1), gallery);
        assertEquals(1.0, m.rank1(), EPS);
        // matches at ranks 1 and 3: AP = (1/1 + 2/3) / 2
        assertEquals((1.0 + 2.0 / 3) / 2, m.mAP(), EPS);
        assertEquals(1, m.queries());
    }

    @Test
    void sameCameraMatchesAndJunkAreRemovedButPersonZeroIsRanked() {
        // by distance: same-person-same-camera 0.1 (removed), junk 0.2 (removed), person 0 0.3,
        // true match (camera 2) 0.4, stranger 0.5
        FeatureSet gallery = points(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, new int[] {7, -1, 0, 7, 4},
                new int[] {1, 2, 2, 2, 1});
        ReidMetrics m = PROTOCOL.evaluate(query(0, 7, 1), gallery);
        assertEquals(0.0, m.rank1(), EPS);
        assertEquals(1.0, m.rank5(), EPS);
        assertEquals(0.5, m.mAP(), EPS); // the only match is second among the valid entries
    }

    @Test
    void aRankListMarksWhatTheProtocolLeavesOutAndStopsAtTheTopThatCounts() {
        // The case above: same camera 0.1 and junk 0.2 left out, person 0 first, the match second.
        FeatureSet gallery = points(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, new int[] {7, -1, 0, 7, 4},
                new int[] {1, 2, 2, 2, 1});
        RankedList list = PROTOCOL.rankings(query(0, 7, 1), gallery, new int[] {0}, 2).get(0);
        assertEquals(2, list.firstMatchRank());
        assertEquals(List.of(Verdict.SAME_CAMERA, Verdict.JUNK, Verdict.MISMATCH, Verdict.MATCH),
                list.entries().stream().map(RankedList.Entry::verdict).toList());
        assertEquals(List.of(0, 1, 2, 3), list.entries().stream().map(RankedList.Entry::gallery).toList());
        assertEquals(List.of(0, 0, 1, 2), list.entries().stream().map(RankedList.Entry::rank).toList());
        assertEquals(0.09, list.entries().get(2).distance(), 1e-6, "squared distance, as the protocol ranks");
        RankedList first = PROTOCOL.rankings(query(0, 7, 1), gallery, new int[] {0}, 1).get(0);
        assertEquals(3, first.entries().size(), "the left-out entries before the first that counts, and it");
        assertEquals(2, first.firstMatchRank(), "the first match is found beyond the top shown");
    }

    @Test
    void rankListsAgreeWithTheScoresOfEveryQuery() {
        Random random = new Random(5);
        FeatureSet query = randomSet(random, 41, 19, 25);
        FeatureSet gallery = randomSet(random, 600, 19, 25);
        for (RankingProtocol protocol : new RankingProtocol[] {new RankingProtocol(2, 5), new RankingProtocol(1, 8,
                null, new RowByRowDotProducts()), new RankingProtocol(1, 4, new KReciprocalReranking(20, 6, 0.3),
                        null)}) {
            int[] all = java.util.stream.IntStream.range(0, query.size()).toArray();
            List<RankedList> lists = protocol.rankings(query, gallery, all, 10);
            ReidMetrics metrics = protocol.evaluate(query, gallery);
            long scored = lists.stream().filter(list -> list.firstMatchRank() > 0).count();
            long firstRight = lists.stream().filter(list -> list.firstMatchRank() == 1).count();
            long inTopTen = lists.stream().filter(list -> list.firstMatchRank() > 0 && list.firstMatchRank() <= 10)
                    .count();
            assertEquals(metrics.queries(), scored);
            assertEquals(metrics.rank1(), (double) firstRight / scored, EPS);
            assertEquals(metrics.rank10(), (double) inTopTen / scored, EPS);
            for (RankedList list : lists) {
                assertEquals(10, list.entries().stream().filter(entry -> entry.verdict().counts()).count());
                boolean matchShown = list.entries().stream().anyMatch(entry -> entry.verdict() == Verdict.MATCH);
                assertEquals(list.firstMatchRank() > 0 && list.firstMatchRank() <= 10, matchShown);
            }
        }
    }

    @Test
    void tiesKeepGalleryOrder() {
        // Both entries are at distance 0.25: the non-match comes first in the gallery, so it ranks first.
        FeatureSet gallery = points(new float[] {0.5f, -0.5f}, new int[] {3, 2}, new int[] {2, 2});
        ReidMetrics m = PROTOCOL.evaluate(query(0, 2, 1), gallery);
        assertEquals(0.0, m.rank1(), EPS);
        assertEquals(0.5, m.mAP(), EPS);
        // Swap the gallery order and the match wins the tie.
        FeatureSet swapped = points(new float[] {-0.5f, 0.5f}, new int[] {2, 3}, new int[] {2, 2});
        assertEquals(1.0, PROTOCOL.evaluate(query(0, 2, 1), swapped).rank1(), EPS);
    }

    @Test
    void queriesWithoutValidMatchAreLeftOutOfTheAverages() {
        FeatureSet queries = points(new float[] {0f, 10f}, new int[] {1, 5}, new int[] {1, 1});
        // person 5 appears only under the query's own camera: no valid match
        FeatureSet gallery = points(new float[] {0.1f, 10.1f, 3f}, new int[] {1, 5, 2}, new int[] {2, 1, 2});
        ReidMetrics m = PROTOCOL.evaluate(queries, gallery);
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
        ReidMetrics m = PROTOCOL.evaluate(queries, points(xs, persons, cameras));
        assertEquals(0.5, m.rank1(), EPS);
        assertEquals(0.5, m.rank5(), EPS);
        assertEquals(1.0, m.rank10(), EPS);
        // query b ranks: 101..105 strangers, 106 match at rank 6; the gallery entry 0.1 is rank 7 for it
        assertEquals((1.0 + 1.0 / 6) / 2, m.mAP(), EPS);
        assertEquals(2, m.queries());
    }

    @Test
    void personZeroIsAPersonLikeAnyOtherAndOnlyMinusOneIsJunk() {
        // As torchreid's eval_market1501 scores MSMT17 (ids from 0) or another system's CSV.
        // query A: person 0, camera 1 at x=0; query B: person 3, camera 1 at x=10; query C: junk.
        FeatureSet queries = points(new float[] {0f, 10f, 0f}, new int[] {0, 3, -1}, new int[] {1, 1, 2});
        // gallery: x=0.1 person 0 camera 1 (same camera as A: removed for A), x=0.2 junk (never ranked),
        // x=0.3 person 3 camera 2, x=0.4 person 0 camera 2, x=9.9 person 0 camera 3, x=10.2 person 3 camera 1
        // (same camera as B: removed for B)
        FeatureSet gallery = points(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 9.9f, 10.2f}, new int[] {0, -1, 3, 0, 0, 3},
                new int[] {1, 2, 2, 2, 3, 1});
        ReidMetrics m = PROTOCOL.evaluate(queries, gallery);
        // A ranks (valid entries only): 0.3 p3, 0.4 p0 (match), 9.9 p0 (match), 10.2 p3.
        //   first match at rank 2; AP = (1/2 + 2/3) / 2 = 7/12
        // B ranks: 9.9 p0 (distance 0.1), 0.4 p0, 0.3 p3 (match at rank 3), 0.1 p0.
        //   first match at rank 3; AP = 1/3
        // C is junk: never scored, counted among the queries without a match.
        assertEquals(2, m.queries());
        assertEquals(1, m.queriesWithoutMatch());
        assertEquals(0.0, m.rank1(), EPS);
        assertEquals(1.0, m.rank5(), EPS);
        assertEquals((7.0 / 12 + 1.0 / 3) / 2, m.mAP(), EPS);
        // official AP, per match (precision before it + precision at it) / 2:
        //   A: (0/1 + 1/2)/2 and (1/2 + 2/3)/2; B: (0/2 + 1/3)/2
        double officialA = ((0.0 + 0.5) / 2 + (0.5 + 2.0 / 3) / 2) / 2;
        double officialB = (0.0 + 1.0 / 3) / 2;
        assertEquals((officialA + officialB) / 2, m.officialMAP(), EPS);
    }

    @Test
    void mismatchedDimensionsAndNonFiniteFeaturesAreRejected() {
        FeatureSet twoD = new FeatureSet(new float[][] {{1, 2}}, new int[] {1}, new int[] {1});
        assertThrows(IllegalArgumentException.class, () -> PROTOCOL.evaluate(query(0, 1, 1), twoD));
        FeatureSet nan = points(new float[] {Float.NaN}, new int[] {1}, new int[] {2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PROTOCOL.evaluate(query(0, 1, 1), nan));
        assertEquals("gallery feature 0 is not finite (NaN)", e.getMessage());
    }

    @Test
    void officialApInterpolatesBetweenThePrecisionBeforeAndAtEachMatch() {
        // valid ranking: match, stranger, match, stranger, match (ranks 1, 3, 5 of 3 matches)
        FeatureSet gallery = points(new float[] {1, 2, 3, 4, 5}, new int[] {1, 9, 1, 9, 1}, new int[] {2, 2, 2, 2, 2});
        ReidMetrics m = PROTOCOL.evaluate(query(0, 1, 1), gallery);
        assertEquals((1.0 + 2.0 / 3 + 3.0 / 5) / 3, m.mAP(), EPS);
        // per match: (1 + 1/1)/2, (1/2 + 2/3)/2, (2/4 + 3/5)/2
        double official = ((1.0 + 1.0) / 2 + (0.5 + 2.0 / 3) / 2 + (0.5 + 0.6) / 2) / 3;
        assertEquals(official, m.officialMAP(), EPS);
        assertTrue(m.officialMAP() <= m.mAP());
    }

    @Test
    void chunkedParallelScoringMatchesAFullSortOfEveryQuery() {
        Random random = new Random(7);
        int dimension = 19; // odd, so no loop length is a multiple of the SIMD width
        FeatureSet query = randomSet(random, 37, dimension, 25);
        FeatureSet gallery = randomSet(random, 1300, dimension, 25); // three tiles, the last one partial
        ReidMetrics expected = ReferenceRanking.evaluate(query, gallery);
        for (RankingProtocol protocol : new RankingProtocol[] {new RankingProtocol(1, 1), new RankingProtocol(2, 5),
                new RankingProtocol(3, 64)}) {
            ReidMetrics actual = protocol.evaluate(query, gallery);
            assertEquals(expected.queries(), actual.queries());
            assertEquals(expected.rank1(), actual.rank1(), EPS);
            assertEquals(expected.rank5(), actual.rank5(), EPS);
            assertEquals(expected.rank10(), actual.rank10(), EPS);
            assertEquals(expected.mAP(), actual.mAP(), EPS);
            assertEquals(expected.officialMAP(), actual.officialMAP(), EPS);
        }
        assertTrue(expected.queries() > 30 && expected.mAP() > 0.01 && expected.mAP() < 0.9, expected.toString());
    }

    @Test
    void distancesFromAnotherKernelScoreLikeTheJavaKernel() {
        Random random = new Random(11);
        FeatureSet query = randomSet(random, 1100, 19, 25); // two kernel chunks, the last one partial
        FeatureSet gallery = randomSet(random, 700, 19, 25);
        ReidMetrics expected = ReferenceRanking.evaluate(query, gallery);
        for (int threads : new int[] {1, 3}) {
            ReidMetrics actual = new RankingProtocol(threads, 8, null, new RowByRowDotProducts()).evaluate(query,
                    gallery);
            assertEquals(expected.queries(), actual.queries());
            assertEquals(expected.rank1(), actual.rank1(), 1e-6);
            assertEquals(expected.rank10(), actual.rank10(), 1e-6);
            assertEquals(expected.mAP(), actual.mAP(), 1e-6);
            assertEquals(expected.officialMAP(), actual.officialMAP(), 1e-6);
        }
    }

    /** The textbook kernel: one dot product at a time, summed in double. */
    private static final class RowByRowDotProducts implements DotProducts {
        @Override
        public Loaded load(float[][] rows) {
            return new Loaded() {
                @Override
                public int size() {
                    return rows.length;
                }

                @Override
                public void dots(float[][] queries, int from, int count, float[] out) {
                    for (int i = 0; i < count; i++) {
                        for (int j = 0; j < rows.length; j++) {
                            double sum = 0;
                            for (int d = 0; d < rows[j].length; d++) {
                                sum += (double) queries[from + i][d] * rows[j][d];
                            }
                            out[i * rows.length + j] = (float) sum;
                        }
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Features clustered by person (so rankings are neither random nor perfect), with junk and distractors. */
    private static FeatureSet randomSet(Random random, int size, int dimension, int persons) {
        float[][] centres = new float[persons + 1][dimension];
        Random fixed = new Random(99);
        for (float[] centre : centres) {
            for (int d = 0; d < dimension; d++) {
                centre[d] = (float) fixed.nextGaussian();
            }
        }
        float[][] features = new float[size][dimension];
        int[] ids = new int[size];
        int[] cameras = new int[size];
        for (int i = 0; i < size; i++) {
            ids[i] = random.nextInt(20) == 0 ? -1 : random.nextInt(persons + 1);
            cameras[i] = 1 + random.nextInt(4);
            float[] centre = centres[Math.max(0, ids[i])];
            for (int d = 0; d < dimension; d++) {
                features[i][d] = centre[d] + 1.5f * (float) random.nextGaussian();
            }
        }
        return new FeatureSet(features, ids, cameras);
    }
}
