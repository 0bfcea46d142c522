package org.fedklpr.api.eval;

import java.util.List;

/**
 * One query's gallery, nearest first, as a ranking protocol sees it: what a rank-list picture shows.
 *
 * @param query the query's index in its feature set
 * @param entries the nearest gallery entries up to the {@code top}-th that counts, with the entries the
 *        protocol leaves out (junk, the query's person seen by the query's camera) among them, marked so
 * @param firstMatchRank the 1-based rank, among entries that count, of the first correct match in the
 *        whole gallery; 0 when the query has none
 */
public record RankedList(int query, List<Entry> entries, int firstMatchRank) {
    public RankedList {
        entries = List.copyOf(entries);
    }

    /** What a gallery entry is to the query. */
    public enum Verdict {
        /** The same person, seen by another camera: a correct match. */
        MATCH,
        /** Another person (a distractor included): a wrong match. */
        MISMATCH,
        /** A junk image: left out of the ranking. */
        JUNK,
        /** The query's person seen by the query's camera: left out of the ranking. */
        SAME_CAMERA;

        public boolean counts() {
            return this == MATCH || this == MISMATCH;
        }
    }

    /**
     * @param gallery the entry's index in the gallery's feature set
     * @param distance the protocol's distance (squared Euclidean, or the re-ranked distance when
     *        re-ranking is on)
     * @param rank the 1-based rank among entries that count; 0 for an entry left out
     */
    public record Entry(int gallery, double distance, Verdict verdict, int rank) {
    }
}
