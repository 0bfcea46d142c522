package org.fedklpr.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.RoundRecord;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A run folder's published logs as readers see them: {@code config.json} (settings, sites),
 * {@code metrics.jsonl} (one row per round and site; keys in the README) and {@code summary.json},
 * which exists once the run has ended. The one reader of the format, for reports, comparisons and
 * exports; the coordinator writes it.
 *
 * @param folder the run folder
 * @param config config.json, or an empty object before the run wrote one
 * @param byRound the metrics rows by round, each round's rows in the sites' order
 * @param summary summary.json, or {@code null} while the run has not ended
 */
public record RunLogs(Path folder, JsonObject config, SortedMap<Integer, List<JsonObject>> byRound,
        JsonObject summary) {
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";

    public RunLogs {
        byRound = Collections.unmodifiableSortedMap(new TreeMap<>(byRound));
    }

    /**
     * @throws FedklprException naming the file and line that cannot be read
     */
    public static RunLogs read(Path folder) {
        JsonObject config = object(folder.resolve(CONFIG));
        JsonObject summary = object(folder.resolve(SUMMARY));
        TreeMap<Integer, List<JsonObject>> byRound = new TreeMap<>();
        Path metrics = folder.resolve(METRICS);
        List<String> lines;
        try {
            lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        } catch (IOException e) {
            throw new FedklprException(metrics + " cannot be read: " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonObject row = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                byRound.computeIfAbsent(row.get("round").getAsInt(), r -> new ArrayList<>()).add(row);
            } catch (RuntimeException e) {
                throw new FedklprException(metrics + " line " + (i + 1) + " is not a metrics row (" + e.getMessage()
                        + ")", e);
            }
        }
        return new RunLogs(folder, config == null ? new JsonObject() : config, byRound, summary);
    }

    /** The rows of {@code round}, empty if it has none. */
    public List<JsonObject> round(int round) {
        return byRound.getOrDefault(round, List.of());
    }

    /**
     * The training traffic of the run up to each round (up + down over every site, in MB of 10^6
     * bytes), in the order of {@link #byRound}: the x of every "by traffic" figure.
     */
    public double[] cumulativeMegabytes() {
        double[] megabytes = new double[byRound.size()];
        double bytes = 0;
        int i = 0;
        for (List<JsonObject> rows : byRound.values()) {
            for (JsonObject row : rows) {
                bytes += row.get("bytes_up").getAsLong() + row.get("bytes_down").getAsLong();
            }
            megabytes[i++] = bytes / 1e6;
        }
        return megabytes;
    }

    /** The mean of {@code key} over the rows that have a value: a round's mean over the sites that scored. */
    public static double meanOf(List<JsonObject> rows, String key) {
        return RoundRecord.meanOfScored(rows.stream().mapToDouble(row -> number(row, key)));
    }

    /** A row's number; NaN where it has none (null: the site could not score that round). */
    public static double number(JsonObject row, String key) {
        JsonElement value = row.get(key);
        return value != null && !value.isJsonNull() && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                ? value.getAsDouble() : Double.NaN;
    }

    /** A row's text; empty where it has none. */
    public static String text(JsonObject row, String key) {
        JsonElement value = row.get(key);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static JsonObject object(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new FedklprException(file + " cannot be read as JSON: " + e.getMessage(), e);
        }
    }
}
