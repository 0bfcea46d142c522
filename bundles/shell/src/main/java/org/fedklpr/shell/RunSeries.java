package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.fedklpr.files.RunLogs;

import com.google.gson.JsonObject;

/**
 * A run's course, read back from its {@code metrics.jsonl}: per round the mean Rank-1 and mAP over
 * clients and the training traffic, per client its last round's scores, and the last round's
 * scores pooled over every client's queries ({@code finalPooled}: Rank-1, mAP; each client weighted
 * by its number of scored queries, so a client with 5 queries moves it less than one with 200).
 */
record RunSeries(int[] rounds, double[] meanRank1, double[] meanMAP, double[] cumulativeMegabytes,
        Map<String, double[]> finalByClient, double[] finalPooled) {

    /** The round-by-round mean of runs with the same rounds (seeds of one configuration). */
    static RunSeries mean(List<RunSeries> runs) {
        RunSeries first = runs.get(0);
        int n = first.rounds().length;
        double[] rank1 = new double[n];
        double[] mAP = new double[n];
        double[] megabytes = new double[n];
        Map<String, double[]> finals = new LinkedHashMap<>();
        double[] pooled = new double[2];
        for (RunSeries run : runs) {
            pooled[0] += run.finalPooled()[0] / runs.size();
            pooled[1] += run.finalPooled()[1] / runs.size();
            for (int i = 0; i < n; i++) {
                rank1[i] += run.meanRank1()[i] / runs.size();
                mAP[i] += run.meanMAP()[i] / runs.size();
                megabytes[i] += run.cumulativeMegabytes()[i] / runs.size();
            }
            run.finalByClient().forEach((client, scores) -> {
                double[] sum = finals.computeIfAbsent(client, c -> new double[2]);
                sum[0] += scores[0] / runs.size();
                sum[1] += scores[1] / runs.size();
            });
        }
        return new RunSeries(first.rounds(), rank1, mAP, megabytes, finals, pooled);
    }

    static RunSeries read(Path runDirectory) {
        RunLogs logs = RunLogs.read(runDirectory);
        SortedMap<Integer, List<JsonObject>> byRound = logs.byRound();
        int n = byRound.size();
        int[] rounds = new int[n];
        double[] rank1 = new double[n];
        double[] mAP = new double[n];
        double[] megabytes = logs.cumulativeMegabytes();
        int i = 0;
        for (Map.Entry<Integer, List<JsonObject>> round : byRound.entrySet()) {
            rounds[i] = round.getKey();
            rank1[i] = RunLogs.meanOf(round.getValue(), "rank1");
            mAP[i] = RunLogs.meanOf(round.getValue(), "mAP");
            i++;
        }
        Map<String, double[]> finals = new LinkedHashMap<>();
        double[] pooled = {Double.NaN, Double.NaN};
        if (n > 0) {
            double queries = 0;
            double rank1Sum = 0;
            double mAPSum = 0;
            for (JsonObject row : byRound.get(byRound.lastKey())) {
                finals.put(row.get("client").getAsString(), new double[] {score(row, "rank1"), score(row, "mAP")});
                double scored = row.has("queries") ? row.get("queries").getAsDouble() : Double.NaN;
                if (scored > 0 && Double.isFinite(score(row, "rank1")) && Double.isFinite(score(row, "mAP"))) {
                    queries += scored;
                    rank1Sum += scored * score(row, "rank1");
                    mAPSum += scored * score(row, "mAP");
                }
            }
            if (queries > 0) {
                pooled = new double[] {rank1Sum / queries, mAPSum / queries};
            }
        }
        return new RunSeries(rounds, rank1, mAP, megabytes, finals, pooled);
    }

    /** A row's score; NaN where it has none (null: the site could not score that round). */
    static double score(JsonObject row, String key) {
        return RunLogs.number(row, key);
    }
}
