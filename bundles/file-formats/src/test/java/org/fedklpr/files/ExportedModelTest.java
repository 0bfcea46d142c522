package org.fedklpr.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportedModelTest {
    private static ExportedModel model() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("backbone.conv1.weight", new Tensor(new int[] {2, 1, 1, 2}, new float[] {1, -2, 0.5f, 3}));
        tensors.put("embedding.weight", new Tensor(new int[] {2, 2}, new float[] {0.25f, 0, -1e-7f, 4}));
        Map<String, ExportedModel.SiteScore> scores = new LinkedHashMap<>();
        scores.put("market", new ExportedModel.SiteScore(0.5, 0.25));
        scores.put("duke", new ExportedModel.SiteScore(Double.NaN, Double.NaN));
        return new ExportedModel(new ExportedModel.Manifest("resnet50", 256, 128, 2, true, 7, "runs/x", "id-1",
                scores, "{\"org.fedklpr.client\":{\"flipFusion\":true}}"), ModelState.of(tensors));
    }

    @Test
    void aWrittenModelReadsBackWithItsManifest(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("out/model.npz");
        model().write(file);
        ExportedModel read = ExportedModel.read(file);
        assertEquals(model().manifest().architecture(), read.manifest().architecture());
        assertEquals(List.of(256, 128, 2, 7), List.of(read.manifest().inputHeight(), read.manifest().inputWidth(),
                read.manifest().embeddingDim(), read.manifest().round()));
        assertTrue(read.manifest().flipFusion());
        assertEquals(0.5, read.manifest().scores().get("market").rank1());
        assertEquals(List.of("market", "duke"), List.copyOf(read.manifest().scores().keySet()), "the run's order");
        assertTrue(Double.isNaN(read.manifest().scores().get("duke").mAP()), "a site that scored nothing stays NaN");
        assertEquals(List.of("backbone.conv1.weight", "embedding.weight"), List.copyOf(read.weights().names()));
        assertArrayEquals(new float[] {0.25f, 0, -1e-7f, 4}, read.weights().tensor("embedding.weight").values());
        assertTrue(read.manifest().settingsJson().contains("flipFusion"));
        try (var files = Files.list(folder.resolve("out"))) {
            assertEquals(List.of(file), files.toList(), "no partial file is left behind");
        }
    }

    @Test
    void aFileThatIsNotAnExportedModelIsRefusedNamingWhy(@TempDir Path folder) throws IOException {
        Path weights = folder.resolve("weights.npz");
        try (OutputStream out = Files.newOutputStream(weights)) {
            NpzWriter.write(model().weights().tensors(), out);
        }
        assertRefused(weights, "has no fedklpr-model.json");

        String manifest = model().manifestJson();
        assertRefused(withManifest(folder, manifest.replace("\"format_version\": 1", "\"format_version\": 9")),
                "format version 9");
        assertRefused(withManifest(folder, manifest.replace("0.485", "0.5")), "normalised with mean");
        assertRefused(withManifest(folder, manifest.replace("\"architecture\"", "\"arch\"")), "lacks 'architecture'");
        assertRefused(withManifest(folder, "not json"), "is not a JSON object");
        assertRefused(folder.resolve("none.npz"), "does not exist");
    }

    private static Path withManifest(Path folder, String manifest) throws IOException {
        Path file = Files.createTempFile(folder, "model", ".npz");
        try (OutputStream out = Files.newOutputStream(file)) {
            NpzWriter.write(model().weights().tensors(), Map.of(ExportedModel.MANIFEST,
                    manifest.getBytes(StandardCharsets.UTF_8)), out);
        }
        return file;
    }

    private static void assertRefused(Path file, String expected) {
        FedklprException e = assertThrows(FedklprException.class, () -> ExportedModel.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
