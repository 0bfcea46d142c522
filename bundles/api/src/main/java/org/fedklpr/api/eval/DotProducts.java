package org.fedklpr.api.eval;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Dot products of query rows with a fixed set of gallery rows: the matrix product that is almost
 * all of a re-ID evaluation's arithmetic. An engine with a BLAS offers one as a service
 * ({@code fedklpr.name} = its name); an evaluator without one uses its own kernel. Implementations
 * may round differently from one another (the order of a sum's terms), never from one call to the
 * next.
 */
@ConsumerType
public interface DotProducts {

    /**
     * Keeps {@code rows} (all of one length) for {@link Loaded#dots}; the caller closes what it gets.
     *
     * @throws IllegalArgumentException if the rows differ in length
     */
    Loaded load(float[][] rows);

    /** A gallery held by the implementation (possibly in native memory) until it is closed. */
    interface Loaded extends AutoCloseable {
        /** The number of gallery rows. */
        int size();

        /**
         * Writes {@code queries[from + i] · rows[j]} to {@code out[i * size() + j]} for
         * {@code 0 <= i < count} and every gallery row {@code j}. Not to be called from two threads
         * at once.
         */
        void dots(float[][] queries, int from, int count, float[] out);

        @Override
        void close();
    }
}
