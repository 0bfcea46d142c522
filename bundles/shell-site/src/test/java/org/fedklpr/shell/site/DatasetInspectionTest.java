package org.fedklpr.shell.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

class DatasetInspectionTest {
    @Test
    void countsImagesIdentitiesCamerasJunkDistractorsAndSkippedPerSplit() {
        Path root = Path.of("/data/market");
        List<ReidImage> train = List.of(new ReidImage(root.resolve("a"), 2, 1), new ReidImage(root.resolve("b"), 2, 3),
                new ReidImage(root.resolve("c"), 7, 1));
        List<ReidImage> query = List.of(new ReidImage(root.resolve("d"), 9, 1), new ReidImage(root.resolve("d2"), 7, 1),
                new ReidImage(root.resolve("d3"), 9, 2));
        List<ReidImage> gallery = List.of(new ReidImage(root.resolve("e"), 9, 2), new ReidImage(root.resolve("f"), -1, 2),
                new ReidImage(root.resolve("g"), 0, 4), new ReidImage(root.resolve("h"), 0, 5));
        List<SkippedFile> skipped = List.of(
                new SkippedFile(root.resolve("x"), SkippedFile.JUNK_IN_TRAINING, SkippedFile.TRAIN),
                new SkippedFile(root.resolve("y"), "not an image", SkippedFile.TRAIN),
                new SkippedFile(root.resolve("z"), "not an image", SkippedFile.GALLERY));
        JsonObject json = DatasetInspection.describe(new ReidDataset("market", root, "market1501", train, query, gallery,
                skipped), 1);
        assertEquals("market1501", json.get("format").getAsString());
        assertSplit(json.getAsJsonObject("train"), 3, 2, 2, 1, 0, 2);
        assertSplit(json.getAsJsonObject("query"), 3, 2, 2, 0, 0, 0);
        // d3 is seen by the only camera that sees person 9 in the gallery; person 7 is not there at all.
        assertEquals(2, json.getAsJsonObject("query").get("queries_without_match").getAsInt());
        assertSplit(json.getAsJsonObject("gallery"), 4, 1, 3, 1, 2, 1);
        assertEquals(3, json.getAsJsonObject("skipped").get("total").getAsInt());
        assertEquals(2, json.getAsJsonObject("skipped").getAsJsonObject("by_reason").get("not an image").getAsInt());
        List<String> warnings = new java.util.ArrayList<>();
        json.getAsJsonArray("warnings").forEach(w -> warnings.add(w.getAsString()));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("2 of 3 queries have no valid gallery match"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("1 file cannot be decoded"), warnings.get(1));
    }

    private static void assertSplit(JsonObject split, int images, int identities, int cameras, int junk,
            int distractors, int skipped) {
        assertEquals(List.of(images, identities, cameras, junk, distractors, skipped), List.of(
                split.get("images").getAsInt(), split.get("identities").getAsInt(), split.get("cameras").getAsInt(),
                split.get("junk").getAsInt(), split.get("distractors").getAsInt(), split.get("skipped").getAsInt()));
    }
}
