package org.fedklpr.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.federation.InputNormalisation;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A trained re-ID model taken out of a run ({@code fedklpr export}): the global backbone and
 * embedding as a NumPy {@code .npz} archive, one array per tensor under the platform's names, and a
 * manifest entry {@value #MANIFEST} that says how to feed it and where it came from. NumPy reads the
 * file as it is ({@code numpy.load(f)[name]}; the manifest comes back as bytes).
 *
 * @param manifest what the model is
 * @param weights the backbone and embedding tensors (no identity head: re-ID retrieval does not use one)
 */
public record ExportedModel(Manifest manifest, ModelState weights) {
    /** The entry of the archive that holds the manifest. */
    public static final String MANIFEST = "fedklpr-model.json";
    static final String FORMAT = "fedklpr-model";
    static final int FORMAT_VERSION = 1;

    /**
     * @param architecture the backbone ({@code tiny-cnn}, {@code resnet50}, ...)
     * @param inputHeight the input height in pixels the network was trained at
     * @param inputWidth the input width
     * @param embeddingDim the length of the L2-normalised embedding
     * @param flipFusion whether the run scored each image by the sum of its and its mirror image's embedding
     * @param round the round whose aggregated model this is
     * @param run the run folder it was exported from, as given
     * @param experimentId the run's experiment id (config.json)
     * @param scores each site's scores of this model in the run, by site, in the run's order
     * @param settingsJson every setting in effect in that round, as the run's checkpoint recorded them (JSON)
     */
    public record Manifest(String architecture, int inputHeight, int inputWidth, int embeddingDim,
            boolean flipFusion, int round, String run, String experimentId, Map<String, SiteScore> scores,
            String settingsJson) {
        public Manifest {
            // In the run's order of sites, as the manifest lists them.
            scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    /** A site's Rank-1 and mAP (fractions) of the exported model, as its run logged them. */
    public record SiteScore(double rank1, double mAP) {
    }

    /**
     * Writes the model to {@code file} through a temporary file in the same folder, so that an
     * interrupted export never leaves a half-written model under the name.
     */
    public void write(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path partial = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                NpzWriter.write(weights.tensors(), Map.of(MANIFEST, manifestJson().getBytes(StandardCharsets.UTF_8)),
                        out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot write the model to " + file + ": " + e.getMessage(), e);
        }
    }

    String manifestJson() {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("format_version", FORMAT_VERSION);
        json.addProperty("architecture", manifest.architecture());
        json.addProperty("input_height", manifest.inputHeight());
        json.addProperty("input_width", manifest.inputWidth());
        json.addProperty("input", "RGB, NCHW float32: each value / 255, then (x - mean) / std per channel");
        json.add("mean", array(InputNormalisation.mean()));
        json.add("std", array(InputNormalisation.std()));
        json.addProperty("embedding_dim", manifest.embeddingDim());
        json.addProperty("output", "the embedding (tensors embedding.* and neck.*), L2-normalised; compare by"
                + " Euclidean distance or cosine");
        json.addProperty("flip_fusion", manifest.flipFusion());
        json.addProperty("round", manifest.round());
        json.addProperty("run", manifest.run());
        json.addProperty("experiment_id", manifest.experimentId());
        JsonObject scores = new JsonObject();
        manifest.scores().forEach((site, score) -> {
            JsonObject row = new JsonObject();
            row.addProperty("rank1", score.rank1());
            row.addProperty("mAP", score.mAP());
            scores.add(site, row);
        });
        json.add("scores", scores);
        json.add("settings", JsonParser.parseString(manifest.settingsJson()));
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json)
                + "\n";
    }

    private static JsonArray array(float[] values) {
        JsonArray array = new JsonArray();
        for (float value : values) {
            array.add(value);
        }
        return array;
    }

    /**
     * Reads a model that {@code fedklpr export} wrote.
     *
     * @throws FedklprException naming the file and what is wrong: not a model archive, no or a bad
     *         manifest, a manifest of a later format, another input normalisation than this platform's
     */
    public static ExportedModel read(Path file) {
        NpzReader.Contents contents = NpzReader.read(file, "model");
        byte[] manifestBytes = contents.others().get(MANIFEST);
        if (manifestBytes == null) {
            throw new FedklprException(file + " has no " + MANIFEST + ": it is a .npz of weights, not a model that "
                    + "fedklpr export wrote (export one with: fedklpr export RUN --out model.npz)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(new String(manifestBytes, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new FedklprException(file + ": " + MANIFEST + " is not a JSON object: " + e.getMessage(), e);
        }
        String format = text(json, "format", file);
        if (!FORMAT.equals(format)) {
            throw new FedklprException(file + ": " + MANIFEST + " says format '" + format + "', expected '" + FORMAT
                    + "'");
        }
        int version = number(json, "format_version", file);
        if (version > FORMAT_VERSION) {
            throw new FedklprException(file + " is a model of format version " + version + "; this platform reads "
                    + "version " + FORMAT_VERSION + " and earlier");
        }
        for (String key : new String[] {"mean", "std"}) {
            float[] expected = key.equals("mean") ? InputNormalisation.mean() : InputNormalisation.std();
            float[] found = floats(json, key, file);
            if (!Arrays.equals(expected, found)) {
                throw new FedklprException(file + ": the model expects inputs normalised with " + key + " "
                        + Arrays.toString(found) + ", but this platform feeds " + Arrays.toString(expected));
            }
        }
        Map<String, SiteScore> scores = new LinkedHashMap<>();
        if (json.has("scores") && json.get("scores").isJsonObject()) {
            for (Map.Entry<String, JsonElement> site : json.getAsJsonObject("scores").entrySet()) {
                JsonObject row = site.getValue().getAsJsonObject();
                scores.put(site.getKey(), new SiteScore(score(row, "rank1"), score(row, "mAP")));
            }
        }
        Manifest manifest = new Manifest(text(json, "architecture", file), number(json, "input_height", file),
                number(json, "input_width", file), number(json, "embedding_dim", file),
                json.has("flip_fusion") && json.get("flip_fusion").getAsBoolean(), number(json, "round", file),
                json.has("run") ? json.get("run").getAsString() : "",
                json.has("experiment_id") ? json.get("experiment_id").getAsString() : "", scores,
                json.has("settings") ? json.get("settings").toString() : "{}");
        Map<String, Tensor> weights = contents.arrays();
        return new ExportedModel(manifest, ModelState.of(weights));
    }

    private static double score(JsonObject row, String key) {
        return row.has(key) && !row.get(key).isJsonNull() ? row.get(key).getAsDouble() : Double.NaN;
    }

    private static String text(JsonObject json, String key, Path file) {
        if (!json.has(key) || !json.get(key).isJsonPrimitive()) {
            throw new FedklprException(file + ": " + MANIFEST + " lacks '" + key + "'");
        }
        return json.get(key).getAsString();
    }

    private static int number(JsonObject json, String key, Path file) {
        try {
            int value = json.get(key).getAsInt();
            if (value >= 0) {
                return value;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new FedklprException(file + ": " + MANIFEST + " lacks '" + key + "' as a whole number >= 0");
    }

    private static float[] floats(JsonObject json, String key, Path file) {
        if (!json.has(key) || !json.get(key).isJsonArray()) {
            throw new FedklprException(file + ": " + MANIFEST + " lacks '" + key + "' (three numbers, red, green,"
                    + " blue)");
        }
        JsonArray array = json.getAsJsonArray(key);
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }
}
