package org.fedklpr.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fedklpr.api.eval.RankedList;
import org.fedklpr.api.eval.RankedList.Verdict;

/**
 * One query's rank list under the protocol of {@link QueryScore}: the gallery sorted by distance,
 * ties by gallery order (the same key as there), each entry marked with what it is to the query.
 * Sorting the whole gallery is fine here: rank lists are drawn for a few queries, not scored for all.
 */
final class QueryRanking {
    private static final int JUNK = -1;

    private QueryRanking() {
    }

    static RankedList of(int query, float[] distances, int offset, int person, int camera, int[] galleryPersons,
            int[] galleryCameras, int top) {
        int size = galleryPersons.length;
        long[] keys = new long[size];
        for (int g = 0; g < size; g++) {
            keys[g] = ((long) Float.floatToIntBits(distances[offset + g]) << 32) | g;
        }
        Arrays.sort(keys);
        List<RankedList.Entry> entries = new ArrayList<>();
        int rank = 0;
        int firstMatchRank = 0;
        for (long key : keys) {
            int g = (int) key;
            Verdict verdict = galleryPersons[g] == JUNK ? Verdict.JUNK
                    : galleryPersons[g] != person || person == JUNK ? Verdict.MISMATCH
                            : galleryCameras[g] == camera ? Verdict.SAME_CAMERA : Verdict.MATCH;
            if (verdict.counts()) {
                rank++;
                if (verdict == Verdict.MATCH && firstMatchRank == 0) {
                    firstMatchRank = rank;
                }
            }
            if (rank <= top && (verdict.counts() || rank < top)) {
                entries.add(new RankedList.Entry(g, distances[offset + g], verdict, verdict.counts() ? rank : 0));
            }
            if (rank >= top && firstMatchRank > 0) {
                break;
            }
        }
        return new RankedList(query, entries, firstMatchRank);
    }
}
