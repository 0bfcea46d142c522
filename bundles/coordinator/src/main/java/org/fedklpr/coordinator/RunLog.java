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

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ClientRoundMetrics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
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
    private final Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues().create();
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

    static JsonObject toJson(ClientRoundMetrics row) {
        JsonObject json = new JsonObject();
        json.addProperty("round", row.round());
        json.addProperty("client", row.client());
        json.addProperty("rank1", row.rank1());
        json.addProperty("rank5", row.rank5());
        json.addProperty("rank10", row.rank10());
        json.addProperty("mAP", row.mAP());
        json.addProperty("loss", row.loss());
        json.addProperty("bytes_up", row.bytesUp());
        json.addProperty("bytes_down", row.bytesDown());
        json.addProperty("aggregator", row.aggregator());
        json.addProperty("seconds", row.seconds());
        json.addProperty("samples", row.samples());
        json.addProperty("status", row.status());
        for (Map.Entry<String, Double> extra : row.extra().entrySet()) {
            json.addProperty(extra.getKey(), extra.getValue());
        }
        for (Map.Entry<String, String> note : row.notes().entrySet()) {
            json.addProperty(note.getKey(), note.getValue());
        }
        return json;
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
        try {
            List<String> kept = new ArrayList<>();
            List<JsonObject> last = new ArrayList<>();
            for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject row = JsonParser.parseString(line).getAsJsonObject();
                int round = row.get("round").getAsInt();
                if (round <= lastRound) {
                    kept.add(line);
                }
                if (round == lastRound) {
                    last.add(row);
                }
            }
            Path temporary = directory.resolve(METRICS + ".tmp");
            Files.write(temporary, kept, StandardCharsets.UTF_8);
            Files.move(temporary, metrics, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return last;
        } catch (IOException | RuntimeException e) {
            throw new FedklprException("cannot resume: " + metrics + " is unreadable (" + e.getMessage() + ")", e);
        }
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
