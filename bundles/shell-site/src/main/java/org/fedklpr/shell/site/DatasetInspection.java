package org.fedklpr.shell.site;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * {@code fedklpr datasets inspect <folder>}: finds which installed layout the folder is in, reads
 * it, decodes every image exactly as training would (in parallel, with the learning engine's
 * decoder) and describes it as JSON — per split the images, identities and cameras, the junk
 * ({@code -1}) and distractor ({@code 0000}) images and the files skipped, with the reason; the
 * queries that have no valid gallery match (not scored, see {@code queries_without_match}); and
 * warnings — so that a user sees what the platform will train and evaluate on before a run.
 */
final class DatasetInspection {
    private static final int EXAMPLES = 10;
    /** Decoded this small: the decoder reads the whole file, the inspection keeps almost nothing. */
    private static final int CHECK_HEIGHT = 8;
    private static final int CHECK_WIDTH = 4;

    private DatasetInspection() {
    }

    /**
     * @param detector the {@code auto} format (data-formats bundle): it reads the folder with the
     *        installed layout that recognises it, or names the layouts it knows
     * @param engine decodes the images as a run would
     */
    static String run(DatasetProvider detector, LearningEngine engine, Path folder) {
        ReidDataset loaded = detector.load(folder);
        ReidDataset decoded = decoded(loaded, engine);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(describe(decoded, decoded.skipped().size() - loaded.skipped().size()));
    }

    /** The dataset with what the engine cannot decode moved to its skipped files, as in a run. */
    static ReidDataset decoded(ReidDataset dataset, LearningEngine engine) {
        List<SkippedFile> skipped = new ArrayList<>(dataset.skipped());
        List<List<ReidImage>> kept = new ArrayList<>();
        for (Map.Entry<String, List<ReidImage>> split : Map.of(SkippedFile.TRAIN, dataset.train(), SkippedFile.QUERY,
                dataset.query(), SkippedFile.GALLERY, dataset.gallery()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(List.of(SkippedFile.TRAIN, SkippedFile.QUERY,
                        SkippedFile.GALLERY)::indexOf))).toList()) {
            ImageSet images = engine.decode(split.getValue(), CHECK_HEIGHT, CHECK_WIDTH);
            images.skipped().forEach(file -> skipped.add(new SkippedFile(file.path(), file.reason(), split.getKey())));
            kept.add(images.images());
        }
        return new ReidDataset(dataset.name(), dataset.root(), dataset.format(), kept.get(0), kept.get(1), kept.get(2),
                skipped);
    }

    /** @param undecodable how many of the skipped files the decoder refused */
    static JsonObject describe(ReidDataset dataset, int undecodable) {
        JsonObject json = new JsonObject();
        json.addProperty("folder", dataset.root().toString());
        json.addProperty("format", dataset.format());
        json.add(SkippedFile.TRAIN, split(dataset.train(), SkippedFile.TRAIN, dataset.skipped()));
        JsonObject query = split(dataset.query(), SkippedFile.QUERY, dataset.skipped());
        int withoutMatch = queriesWithoutMatch(dataset.query(), dataset.gallery());
        query.addProperty("queries_without_match", withoutMatch);
        json.add(SkippedFile.QUERY, query);
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
        JsonArray warnings = new JsonArray();
        warnings(dataset, withoutMatch, undecodable).forEach(warnings::add);
        json.add("warnings", warnings);
        return json;
    }

    /**
     * Queries the evaluation cannot score: no gallery image of their person from another camera
     * (junk excluded), so they are left out of Rank-1 and mAP, as in the Market-1501 protocol.
     */
    static int queriesWithoutMatch(List<ReidImage> query, List<ReidImage> gallery) {
        Map<Integer, Set<Integer>> camerasOfPerson = new HashMap<>();
        for (ReidImage image : gallery) {
            if (!image.isJunk()) {
                camerasOfPerson.computeIfAbsent(image.personId(), p -> new HashSet<>()).add(image.camera());
            }
        }
        int without = 0;
        for (ReidImage image : query) {
            Set<Integer> cameras = camerasOfPerson.getOrDefault(image.personId(), Set.of());
            boolean match = !image.isJunk() && cameras.stream().anyMatch(camera -> camera != image.camera());
            without += match ? 0 : 1;
        }
        return without;
    }

    private static List<String> warnings(ReidDataset dataset, int queriesWithoutMatch, int undecodable) {
        List<String> warnings = new ArrayList<>();
        long realGallery = dataset.gallery().stream().filter(image -> image.personId() > 0).count();
        if (realGallery == 0) {
            warnings.add("the gallery holds only junk and distractor images: no query can be matched");
        }
        if (queriesWithoutMatch > 0) {
            warnings.add(queriesWithoutMatch + " of " + dataset.query().size() + " queries have no valid gallery match"
                    + " (their person is not in the gallery, or only seen there by the query's camera): they are not"
                    + " scored");
        }
        if (undecodable > 0) {
            warnings.add(undecodable + (undecodable == 1 ? " file cannot" : " files cannot")
                    + " be decoded (broken or truncated): a run skips them too");
        }
        if (dataset.train().isEmpty()) {
            warnings.add("no training image is usable");
        }
        return warnings;
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
