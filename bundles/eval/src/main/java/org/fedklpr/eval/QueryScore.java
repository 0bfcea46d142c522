package org.fedklpr.eval;

import java.util.Arrays;

/**
 * Scores one query from its distances to the whole gallery, without sorting the gallery: only
 * the query's valid matches are sorted, and every other valid entry is counted in the gap between
 * matches where it falls. A match's rank is then its index among the matches plus the entries
 * counted before it.
 *
 * <p>Protocol (Market-1501): gallery entries of the same person and camera as the query are
 * removed, and so is junk (person {@code -1}); every other id, {@code 0} included, is a person
 * (torchreid's {@code eval_market1501}): the platform's loaders keep distractors out of the query
 * split, so in a gallery they are entries that no query matches. Ties rank by gallery order (the earlier entry first).
 *
 * @param firstMatchRank 1-based rank of the best valid match, 0 if the query has none
 * @param averagePrecision plain AP: mean over matches of the precision at the match's rank
 * @param officialAveragePrecision the trapezoid-interpolated AP of the official Market-1501 code:
 *        mean over matches of (precision just before the match + precision at it) / 2, where the
 *        precision before rank 1 counts as 1
 */
record QueryScore(int firstMatchRank, double averagePrecision, double officialAveragePrecision) {
    static final QueryScore NO_MATCH = new QueryScore(0, 0, 0);

    boolean hasMatch() {
        return firstMatchRank > 0;
    }

    /**
     * @param distances squared distances to every gallery entry, read from {@code offset}
     * @param matchesOfPerson gallery indices of the query's person (empty for a junk query, which
     *        has no match by definition)
     */
    static QueryScore of(float[] distances, int offset, int camera, int[] matchesOfPerson, int[] galleryPersons,
            int[] galleryCameras, int person) {
        long[] matchKeys = new long[matchesOfPerson.length];
        int matches = 0;
        for (int g : matchesOfPerson) {
            if (galleryCameras[g] != camera) {
                matchKeys[matches++] = key(distances[offset + g], g);
            }
        }
        if (matches == 0) {
            return NO_MATCH;
        }
        Arrays.sort(matchKeys, 0, matches);
        long lastMatch = matchKeys[matches - 1];
        // entriesBefore[i]: valid non-matches ranked between match i-1 and match i.
        int[] entriesBefore = new int[matches];
        int gallerySize = galleryPersons.length;
        for (int g = 0; g < gallerySize; g++) {
            int galleryPerson = galleryPersons[g];
            if (galleryPerson == person || galleryPerson == -1) {
                continue;
            }
            long entry = key(distances[offset + g], g);
            if (entry > lastMatch) {
                continue; // after every match: changes no match's rank
            }
            int slot = Arrays.binarySearch(matchKeys, 0, matches, entry);
            entriesBefore[-slot - 1]++; // keys are unique (they hold the index), so never found
        }
        double plain = 0;
        double official = 0;
        int rank = 0;
        int firstRank = 0;
        for (int i = 0; i < matches; i++) {
            rank += entriesBefore[i] + 1;
            if (i == 0) {
                firstRank = rank;
            }
            double precision = (double) (i + 1) / rank;
            double precisionBefore = rank == 1 ? 1.0 : (double) i / (rank - 1);
            plain += precision;
            official += (precisionBefore + precision) / 2;
        }
        return new QueryScore(firstRank, plain / matches, official / matches);
    }

    /** Non-negative floats order like their bit patterns: distance first, gallery index second. */
    private static long key(float distance, int galleryIndex) {
        return ((long) Float.floatToIntBits(distance) << 32) | galleryIndex;
    }
}
