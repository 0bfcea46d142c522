package org.fedklpr.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.RoundRecord;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A run's course, read back from its {@code metrics.jsonl}: per round the mean Rank-1 and mAP over
 * clients and the training traffic, and per client its last round's scores.
 */
record RunSeries(int[] rounds, double[] meanRank1, double[] meanMAP, double[] cumulativeMegabytes,
        Map<String, double[]> finalByClient) {

    /** The round-by-round mean of runs with the same rounds (seeds of one configuration). */
    static RunSeries mean(List<RunSeries> runs) {
        RunSeries first = runs.get(0);
        int n = first.rounds().length;
        double[] rank1 = new double[n];
        double[] mAP = new double[n];
        double[] megabytes = new double[n];
        Map<String, double[]> finals = new LinkedHashMap<>();
        for (RunSeries run : runs) {
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
        return new RunSeries(first.rounds(), rank1, mAP, megabytes, finals);
    }

    static RunSeries read(Path runDirectory) {
        TreeMap<Integer, List<JsonObject>> byRound = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(runDirectory.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonObject row = JsonParser.parseString(line).getAsJsonObject();
                    byRound.computeIfAbsent(row.get("round").getAsInt(), r -> new ArrayList<>()).add(row);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new FedklprException("cannot read the metrics of " + runDirectory + ": " + e.getMessage(), e);
        }
        int n = byRound.size();
        int[] rounds = new int[n];
        double[] rank1 = new double[n];
        double[] mAP = new double[n];
        double[] megabytes = new double[n];
        double bytes = 0;
        int i = 0;
        for (Map.Entry<Integer, List<JsonObject>> round : byRound.entrySet()) {
            rounds[i] = round.getKey();
            rank1[i] = RoundRecord.meanOfScored(round.getValue().stream().mapToDouble(row -> score(row, "rank1")));
            mAP[i] = RoundRecord.meanOfScored(round.getValue().stream().mapToDouble(row -> score(row, "mAP")));
            for (JsonObject row : round.getValue()) {
                bytes += row.get("bytes_up").getAsLong() + row.get("bytes_down").getAsLong();
            }
            megabytes[i] = bytes / 1e6;
            i++;
        }
        Map<String, double[]> finals = new LinkedHashMap<>();
        if (n > 0) {
            for (JsonObject row : byRound.lastEntry().getValue()) {
                finals.put(row.get("client").getAsString(), new double[] {score(row, "rank1"), score(row, "mAP")});
            }
        }
        return new RunSeries(rounds, rank1, mAP, megabytes, finals);
    }

    /** A row's score; NaN where it has none (null: the site could not score that round). */
    static double score(JsonObject row, String key) {
        return row.has(key) && !row.get(key).isJsonNull() ? row.get(key).getAsDouble() : Double.NaN;
    }
}
