package org.fedklpr.coordinator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ClientRoundMetrics;
import org.fedklpr.api.federation.ClientUpdate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The run directory's logs, all in one format: {@code config.json}, {@code metrics.jsonl} (one JSON
 * object per round and client, appended and flushed as each round ends) and {@code summary.json}.
 */
final class RunLog {
    static final String CONFIG = "config.json";
    static final String METRICS = "metrics.jsonl";
    static final String SUMMARY = "summary.json";

    private final Path directory;
    /**
     * Strict JSON only: a value that is not finite is written as {@code null} by {@link #number} (the
     * row's {@code status} says why), and anything else that would need a bare {@code NaN} is a bug
     * that gson refuses.
     */
    private final Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
    private final Gson compact = new GsonBuilder().serializeNulls().create();

    RunLog(Path directory) {
        this.directory = directory;
    }

    void writeConfig(Object config) {
        writeJson(CONFIG, gson.toJsonTree(config));
    }

    void writeSummary(JsonElement summary) {
        writeJson(SUMMARY, summary);
    }

    /** Appends the rows of one round, flushed to disk before the round counts as completed. */
    void append(List<ClientRoundMetrics> rows) {
        try (BufferedWriter out = Files.newBufferedWriter(directory.resolve(METRICS), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            for (ClientRoundMetrics row : rows) {
                out.write(compact.toJson(toJson(row)));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new FedklprException("cannot append to " + directory.resolve(METRICS) + ": " + e.getMessage(), e);
        }
    }

    /** Extra metrics that count something: written as whole numbers. */
    private static final Set<String> COUNTS = Set.of("queries", "queries_without_match",
            ClientUpdate.DIVERGED_AT_STEP);

    static JsonObject toJson(ClientRoundMetrics row) {
        JsonObject json = new JsonObject();
        json.addProperty("round", row.round());
        json.addProperty("client", row.client());
        number(json, "rank1", row.rank1());
        number(json, "rank5", row.rank5());
        number(json, "rank10", row.rank10());
        number(json, "mAP", row.mAP());
        number(json, "loss", row.loss());
        json.addProperty("bytes_up", row.bytesUp());
        json.addProperty("bytes_down", row.bytesDown());
        json.addProperty("aggregator", row.aggregator());
        json.addProperty("seconds", row.seconds());
        json.addProperty("samples", row.samples());
        json.addProperty("status", row.status());
        for (Map.Entry<String, Double> extra : row.extra().entrySet()) {
            if (COUNTS.contains(extra.getKey()) && extra.getValue() != null) {
                json.addProperty(extra.getKey(), Math.round(extra.getValue()));
            } else {
                number(json, extra.getKey(), extra.getValue());
            }
        }
        for (Map.Entry<String, String> note : row.notes().entrySet()) {
            json.addProperty(note.getKey(), note.getValue());
        }
        return json;
    }

    /** A row's score as {@link #number} wrote it: NaN where it is null (the client did not score). */
    static double score(JsonObject row, String key) {
        return row.has(key) && !row.get(key).isJsonNull() ? row.get(key).getAsDouble() : Double.NaN;
    }

    /** A number, or {@code null} when there is none or it is not finite (NaN is not JSON). */
    static void number(JsonObject json, String key, Double value) {
        if (value == null || !Double.isFinite(value)) {
            json.add(key, JsonNull.INSTANCE);
        } else {
            json.addProperty(key, value);
        }
    }

    /**
     * Drops the rows of rounds after {@code lastRound}: a resumed run rewrites them.
     *
     * @return the rows of {@code lastRound} itself, the scores a run resumed after its last round ends with
     */
    List<JsonObject> truncateAfter(int lastRound) {
        Path metrics = directory.resolve(METRICS);
        if (!Files.exists(metrics)) {
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        List<JsonObject> last = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FedklprException("cannot resume: " + metrics + " cannot be read (" + e.getMessage() + ")", e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int round;
            JsonObject row;
            try {
                row = JsonParser.parseString(line).getAsJsonObject();
                round = row.get("round").getAsInt();
            } catch (RuntimeException e) {
                throw new FedklprException("cannot resume: " + metrics + " line " + (i + 1) + " is not a metrics row"
                        + " (" + e.getMessage() + ")", e);
            }
            if (round <= lastRound) {
                kept.add(line);
            }
            if (round == lastRound) {
                last.add(row);
            }
        }
        Path temporary = directory.resolve(METRICS + ".tmp");
        try {
            Files.write(temporary, kept, StandardCharsets.UTF_8);
            Files.move(temporary, metrics, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot resume: " + metrics + " cannot be rewritten (writing " + temporary
                    + ": " + e.getMessage() + ")", e);
        }
        return last;
    }

    private void writeJson(String file, JsonElement json) {
        try {
            Path temporary = directory.resolve(file + ".tmp");
            Files.writeString(temporary, gson.toJson(json) + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot write " + directory.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    Gson gson() {
        return gson;
    }
}
