package org.fedklpr.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.RankedList;
import org.fedklpr.api.eval.ReidMetrics;

/**
 * The Market-1501 evaluation protocol (see {@link QueryScore}) over the whole query set. Distances
 * come from the dot products of a {@link DotProducts} kernel when one is given (an engine's BLAS),
 * else from the plain-Java {@link GalleryMatrix}. Java: queries are scored in chunks of
 * {@code queryChunk} on {@code threads} threads, each holding one chunk's distance rows, so memory
 * is {@code threads × queryChunk × gallery × 4} bytes beside the features. Kernel: one chunk of
 * queries at a time, as many as fit in {@value #KERNEL_CHUNK_BYTES} bytes of distance rows (at most
 * {@value #KERNEL_CHUNK_MAX}; a BLAS needs rows to be fast), its queries then scored on
 * {@code threads} threads; memory about three chunks beside the kernel's copy of the gallery. Either way nothing grows with the query count, and results do not
 * depend on the thread count: per query scores are summed in query order.
 */
final class RankingProtocol {
    private static final int MAX_RANK = 10;
    /** The only person id that is not a person (torchreid's convention; 0 is a person like any other). */
    private static final int JUNK = -1;
    /**
     * Distance rows one kernel chunk may take: a BLAS is faster on more rows (Market-1501's 19,732
     * gallery entries: 2.95 s with 256 or 512 queries a chunk, 2.67 s with 1,024; docs/BENCHMARKS.md),
     * and the kernel holds about three times this (its output, the copy out, the rows here).
     */
    static final long KERNEL_CHUNK_BYTES = 96L << 20;
    static final int KERNEL_CHUNK_MAX = 1024;

    private final int threads;
    private final int queryChunk;
    /** Null: plain distances. */
    private final KReciprocalReranking reranking;
    /** Null: the Java kernel. */
    private final DotProducts kernel;

    RankingProtocol(int threads, int queryChunk) {
        this(threads, queryChunk, null, null);
    }

    RankingProtocol(int threads, int queryChunk, KReciprocalReranking reranking, DotProducts kernel) {
        if (threads < 1 || queryChunk < 1) {
            throw new IllegalArgumentException("threads and queryChunk must be positive, got " + threads + " and "
                    + queryChunk);
        }
        this.threads = threads;
        this.queryChunk = queryChunk;
        this.reranking = reranking;
        this.kernel = kernel;
    }

    /** Receives one query's squared distances to the whole gallery: {@code distances[offset, offset + gallery)}. */
    @FunctionalInterface
    interface DistanceRow {
        void accept(int query, float[] distances, int offset);
    }

    ReidMetrics evaluate(FeatureSet query, FeatureSet gallery) {
        Map<Integer, int[]> galleryByPerson = indexByPerson(gallery.personIds());
        QueryScore[] scores = new QueryScore[query.size()];
        int[] none = new int[0];
        forEachRow(query, gallery, (q, distances, offset) -> {
            int person = query.personIds()[q];
            int[] candidates = person != JUNK ? galleryByPerson.getOrDefault(person, none) : none;
            scores[q] = QueryScore.of(distances, offset, query.cameras()[q], candidates, gallery.personIds(),
                    gallery.cameras(), person);
        });
        return summarise(scores);
    }

    /**
     * The ranked gallery of each query in {@code queries}, from the very distances {@link #evaluate}
     * scores (every query's row is computed as there, so chunking and kernels round alike).
     */
    List<RankedList> rankings(FeatureSet query, FeatureSet gallery, int[] queries, int top) {
        Map<Integer, Integer> wanted = new HashMap<>();
        for (int i = 0; i < queries.length; i++) {
            if (queries[i] < 0 || queries[i] >= query.size()) {
                throw new IllegalArgumentException("query " + queries[i] + " is not among the " + query.size());
            }
            wanted.put(queries[i], i);
        }
        RankedList[] lists = new RankedList[queries.length];
        forEachRow(query, gallery, (q, distances, offset) -> {
            Integer slot = wanted.get(q);
            if (slot != null) {
                lists[slot] = QueryRanking.of(q, distances, offset, query.personIds()[q], query.cameras()[q],
                        gallery.personIds(), gallery.cameras(), top);
            }
        });
        return List.of(lists);
    }

    /** Every query's distance row, in parallel; results do not depend on the thread count. */
    private void forEachRow(FeatureSet query, FeatureSet gallery, DistanceRow consumer) {
        if (query.size() > 0 && gallery.size() > 0 && query.dimension() != gallery.dimension()) {
            throw new IllegalArgumentException("query features have " + query.dimension()
                    + " dimensions but gallery features have " + gallery.dimension());
        }
        int dimension = gallery.size() > 0 ? gallery.dimension() : query.dimension();
        for (int q = 0; q < query.size(); q++) {
            FeatureChecks.check(query.features()[q], dimension, "query", q);
        }
        if (reranking != null) {
            for (int g = 0; g < gallery.size(); g++) {
                FeatureChecks.check(gallery.features()[g], dimension, "gallery", g);
            }
            float[] distances = gallery.size() == 0 ? new float[0] : reranking.distances(query, gallery);
            for (int q = 0; q < query.size(); q++) {
                consumer.accept(q, distances, q * gallery.size());
            }
            return;
        }
        if (kernel != null && gallery.size() > 0) {
            rowsWithKernel(query, gallery, consumer);
            return;
        }
        GalleryMatrix matrix = new GalleryMatrix(gallery);
        int chunks = (query.size() + queryChunk - 1) / queryChunk;
        int workers = Math.min(threads, Math.max(1, chunks));
        ExecutorService pool = newPool(workers);
        try {
            runOnWorkers(pool, workers, worker -> rowChunks(worker, workers, query, matrix, consumer));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** One chunk of queries at a time: its dot products from the kernel, its rows handed out on the threads. */
    private void rowsWithKernel(FeatureSet query, FeatureSet gallery, DistanceRow consumer) {
        for (int g = 0; g < gallery.size(); g++) {
            FeatureChecks.check(gallery.features()[g], gallery.dimension(), "gallery", g);
        }
        float[] galleryNorms = new float[gallery.size()];
        for (int g = 0; g < galleryNorms.length; g++) {
            galleryNorms[g] = GalleryMatrix.squaredNorm(gallery.features()[g]);
        }
        int size = gallery.size();
        int chunk = (int) Math.max(queryChunk, Math.min(KERNEL_CHUNK_MAX, KERNEL_CHUNK_BYTES / (4L * size)));
        float[] distances = new float[Math.min(chunk, Math.max(1, query.size())) * size];
        int workers = Math.min(threads, chunk);
        ExecutorService pool = newPool(workers);
        try (DotProducts.Loaded loaded = kernel.load(gallery.features())) {
            for (int from = 0; from < query.size(); from += chunk) {
                int first = from;
                int count = Math.min(chunk, query.size() - from);
                loaded.dots(query.features(), from, count, distances);
                runOnWorkers(pool, workers, worker -> {
                    for (int i = worker; i < count; i += workers) {
                        int q = first + i;
                        GalleryMatrix.toSquaredDistances(distances, i * size, GalleryMatrix.squaredNorm(
                                query.features()[q]), galleryNorms);
                        consumer.accept(q, distances, i * size);
                    }
                });
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Threads for {@code workers} workers; {@code null} for one, which runs on the caller's thread. */
    private static ExecutorService newPool(int workers) {
        return workers == 1 ? null : Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "fedklpr-eval");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code task} for worker 0 … workers − 1 and waits for all (on this thread when there is no pool). */
    private static void runOnWorkers(ExecutorService pool, int workers, IntConsumer task) {
        if (pool == null) {
            task.accept(0);
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            running.add(pool.submit(() -> task.accept(worker)));
        }
        try {
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Worker {@code worker} of {@code workers} takes every {@code workers}-th chunk. */
    private void rowChunks(int worker, int workers, FeatureSet query, GalleryMatrix matrix, DistanceRow consumer) {
        int gallerySize = matrix.size();
        float[] distances = new float[queryChunk * gallerySize];
        float[][] accumulators = GalleryMatrix.newAccumulators(queryChunk);
        for (int from = worker * queryChunk; from < query.size(); from += workers * queryChunk) {
            int count = Math.min(queryChunk, query.size() - from);
            if (gallerySize > 0) {
                matrix.squaredDistances(query.features(), from, count, distances, accumulators);
            }
            for (int i = 0; i < count; i++) {
                consumer.accept(from + i, distances, i * gallerySize);
            }
        }
    }

    private static Map<Integer, int[]> indexByPerson(int[] persons) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int person : persons) {
            counts.merge(person, 1, Integer::sum);
        }
        Map<Integer, int[]> index = new HashMap<>();
        Map<Integer, Integer> filled = new HashMap<>();
        counts.forEach((person, count) -> index.put(person, new int[count]));
        for (int g = 0; g < persons.length; g++) {
            int slot = filled.merge(persons[g], 1, Integer::sum) - 1;
            index.get(persons[g])[slot] = g;
        }
        return index;
    }

    private static ReidMetrics summarise(QueryScore[] scores) {
        long[] cmc = new long[MAX_RANK];
        double plain = 0;
        double official = 0;
        int scored = 0;
        for (QueryScore score : scores) {
            if (!score.hasMatch()) {
                continue;
            }
            scored++;
            plain += score.averagePrecision();
            official += score.officialAveragePrecision();
            for (int k = score.firstMatchRank() - 1; k < MAX_RANK; k++) {
                cmc[k]++;
            }
        }
        int withoutMatch = scores.length - scored;
        if (scored == 0) {
            return new ReidMetrics(0, 0, 0, 0, 0, 0, withoutMatch);
        }
        return new ReidMetrics((double) cmc[0] / scored, (double) cmc[4] / scored, (double) cmc[9] / scored,
                plain / scored, official / scored, scored, withoutMatch);
    }
}
