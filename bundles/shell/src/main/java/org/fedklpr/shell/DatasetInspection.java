package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * {@code fedklpr datasets inspect <folder>}: finds which installed layout the folder is in, reads
 * it, and describes it as JSON — per split the images, identities and cameras, the junk
 * ({@code -1}) and distractor ({@code 0000}) images and the files skipped — so that a user sees
 * what the platform will train and evaluate on before starting a run.
 */
final class DatasetInspection {
    private static final int EXAMPLES = 10;

    private DatasetInspection() {
    }

    /**
     * @param detector the {@code auto} format (data-formats bundle): it reads the folder with the
     *        installed layout that recognises it, or names the layouts it knows
     */
    static String run(DatasetProvider detector, Path folder) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(describe(detector.load(folder)));
    }

    static JsonObject describe(ReidDataset dataset) {
        JsonObject json = new JsonObject();
        json.addProperty("folder", dataset.root().toString());
        json.addProperty("format", dataset.format());
        json.add(SkippedFile.TRAIN, split(dataset.train(), SkippedFile.TRAIN, dataset.skipped()));
        json.add(SkippedFile.QUERY, split(dataset.query(), SkippedFile.QUERY, dataset.skipped()));
        json.add(SkippedFile.GALLERY, split(dataset.gallery(), SkippedFile.GALLERY, dataset.skipped()));
        JsonObject skipped = new JsonObject();
        skipped.addProperty("total", dataset.skipped().size());
        Map<String, Integer> byReason = new LinkedHashMap<>();
        for (SkippedFile file : dataset.skipped()) {
            byReason.merge(file.reason(), 1, Integer::sum);
        }
        JsonObject reasons = new JsonObject();
        byReason.forEach(reasons::addProperty);
        skipped.add("by_reason", reasons);
        JsonArray examples = new JsonArray();
        dataset.skipped().stream().limit(EXAMPLES).forEach(file -> examples.add(file.toString()));
        skipped.add("examples", examples);
        json.add("skipped", skipped);
        return json;
    }

    /**
     * Counts of one split. Training never holds junk or distractors (the readers skip them), so
     * there they are counted from the skipped files.
     */
    private static JsonObject split(List<ReidImage> images, String split, List<SkippedFile> skipped) {
        Set<Integer> identities = new HashSet<>();
        Set<Integer> cameras = new HashSet<>();
        int junk = 0;
        int distractors = 0;
        for (ReidImage image : images) {
            cameras.add(image.camera());
            if (image.personId() > 0) {
                identities.add(image.personId());
            } else if (image.isJunk()) {
                junk++;
            } else {
                distractors++;
            }
        }
        int skippedHere = 0;
        for (SkippedFile file : skipped) {
            if (file.split().equals(split)) {
                skippedHere++;
                junk += file.reason().equals(SkippedFile.JUNK_IN_TRAINING) ? 1 : 0;
                distractors += file.reason().equals(SkippedFile.DISTRACTOR_IN_TRAINING) ? 1 : 0;
            }
        }
        JsonObject json = new JsonObject();
        json.addProperty("images", images.size());
        json.addProperty("identities", identities.size());
        json.addProperty("cameras", cameras.size());
        json.addProperty("junk", junk);
        json.addProperty("distractors", distractors);
        json.addProperty("skipped", skippedHere);
        return json;
    }
}
