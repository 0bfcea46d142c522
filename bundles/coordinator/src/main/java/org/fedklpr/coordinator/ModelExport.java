package org.fedklpr.coordinator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.files.ExportedModel;
import org.fedklpr.files.RunFolders;
import org.fedklpr.files.RunLogs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code fedklpr export RUN --out model.npz}: the global model of a run's last completed round, as
 * its checkpoint holds it, with what a user of the model needs to know (input size, normalisation,
 * embedding, flip fusion) and where it came from (round, each site's scores of it, the settings).
 * Reads only the run folder, so it works where the coordinator ran, with no learning engine.
 */
final class ModelExport {
    private static final String CLIENT_PID = "org.fedklpr.client";

    private ModelExport() {
    }

    static ExportedModel of(Path run, WireCodec checkpointCodec) {
        if (!Files.isDirectory(run)) {
            throw new FedklprException("run folder " + run + " does not exist");
        }
        Checkpoints checkpoints = new Checkpoints(run, checkpointCodec, new RunLog(run).gson());
        Checkpoints.Progress progress = checkpoints.progress().orElseThrow(() -> new FedklprException(run
                + " has no completed round to export (no checkpoint/progress.json): is it a run folder, and did its "
                + "round 0 finish?"));
        ModelState global = checkpoints.load().orElseThrow().global().select(TensorScope.BACKBONE);
        JsonObject config = json(run.resolve(RunLog.CONFIG));
        JsonObject experiment = object(config, "experiment", run.resolve(RunLog.CONFIG));
        String architecture = experiment.get("architecture").getAsString();
        int[] inputSize = inputSize(config, experiment, run.resolve(RunLog.CONFIG));
        JsonObject settings = checkpoints.settings(progress.round()).orElseGet(JsonObject::new);
        Map<String, ExportedModel.SiteScore> scores = new LinkedHashMap<>();
        for (JsonObject row : RunLogs.read(run).round(progress.round())) {
            scores.put(row.get("client").getAsString(), new ExportedModel.SiteScore(RunLogs.number(row, "rank1"),
                    RunLogs.number(row, "mAP")));
        }
        ExportedModel.Manifest manifest = new ExportedModel.Manifest(architecture, inputSize[0], inputSize[1],
                experiment.get("embeddingDim").getAsInt(), flipFusion(settings), progress.round(), run.toString(),
                progress.experiment(), scores, settings.toString());
        return new ExportedModel(manifest, global);
    }

    /**
     * The size the sites' networks were built with: the configured one, or the architecture's usual
     * one that the sites reported (the coordinator has no engine to ask).
     */
    private static int[] inputSize(JsonObject config, JsonObject experiment, Path file) {
        int height = experiment.get("inputHeight").getAsInt();
        int width = experiment.get("inputWidth").getAsInt();
        if (height > 0 && width > 0) {
            return new int[] {height, width};
        }
        JsonElement clients = config.get("clients");
        if (clients != null && clients.isJsonArray()) {
            for (JsonElement client : (JsonArray) clients) {
                JsonObject info = client.getAsJsonObject();
                if (info.has("inputHeight") && info.get("inputHeight").getAsInt() > 0) {
                    return new int[] {info.get("inputHeight").getAsInt(), info.get("inputWidth").getAsInt()};
                }
            }
        }
        throw new FedklprException(file + " does not say which input size the sites' networks took (the run "
                + "left it to the architecture, and was made by an earlier version that did not record it): the "
                + "model cannot be described; run the experiment again with this version");
    }

    /** Where {@code site}'s images are, from the run's config.json: the data root's folder of that name. */
    static RunFolders.SiteData siteData(Path run, String site) {
        Path configFile = run.resolve(RunLog.CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new FedklprException(run + " is not a run folder: it has no " + RunLog.CONFIG);
        }
        JsonObject config = json(configFile);
        JsonObject experiment = object(config, "experiment", configFile);
        java.util.List<String> sites = new java.util.ArrayList<>();
        if (config.get("clients") != null && config.get("clients").isJsonArray()) {
            for (JsonElement client : config.getAsJsonArray("clients")) {
                sites.add(client.getAsJsonObject().get("clientId").getAsString());
            }
        }
        if (!sites.contains(site)) {
            throw new FedklprException("the run " + run + " has no site '" + site + "'; its sites: " + String.join(", ",
                    sites));
        }
        Path folder = Path.of(experiment.get("dataRoot").getAsString()).resolve(site);
        if (!Files.isDirectory(folder)) {
            throw new FedklprException("the images of site " + site + " are not on this machine (" + folder.toAbsolutePath()
                    + " does not exist): a site of a federation keeps them on its own host");
        }
        return new RunFolders.SiteData(folder, experiment.get("datasetFormat").getAsString());
    }

    private static boolean flipFusion(JsonObject settings) {
        JsonElement client = settings.get(CLIENT_PID);
        return client != null && client.isJsonObject() && client.getAsJsonObject().has("flipFusion")
                && client.getAsJsonObject().get("flipFusion").getAsBoolean();
    }

    private static JsonObject json(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (java.io.IOException | RuntimeException e) {
            throw new FedklprException(file + " cannot be read as the run's JSON (" + e.getMessage() + ")", e);
        }
    }

    private static JsonObject object(JsonObject json, String key, Path file) {
        if (!json.has(key) || !json.get(key).isJsonObject()) {
            throw new FedklprException(file + " has no '" + key + "' object; is it a FedKLPR run folder?");
        }
        return json.getAsJsonObject(key);
    }

    /** One line for the console: what was written. */
    static String describe(ExportedModel model, Path out) {
        ExportedModel.Manifest manifest = model.manifest();
        double meanRank1 = manifest.scores().values().stream().mapToDouble(ExportedModel.SiteScore::rank1)
                .filter(Double::isFinite).average().orElse(Double.NaN);
        double meanMAP = manifest.scores().values().stream().mapToDouble(ExportedModel.SiteScore::mAP)
                .filter(Double::isFinite).average().orElse(Double.NaN);
        return String.format(java.util.Locale.ROOT, "exported round %d of %s: %s, %dx%d input, %d-d embedding, "
                + "%d tensors (%.1f MB) to %s; mean Rank-1 %.1f %%, mAP %.1f %% over %d sites", manifest.round(),
                manifest.run(), manifest.architecture(), manifest.inputHeight(), manifest.inputWidth(),
                manifest.embeddingDim(), model.weights().names().size(), model.weights().elementCount() * 4 / 1e6,
                out, 100 * meanRank1, 100 * meanMAP, manifest.scores().size());
    }
}
