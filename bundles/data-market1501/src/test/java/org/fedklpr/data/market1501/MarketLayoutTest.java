package org.fedklpr.data.market1501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketLayoutTest {
    private static void touch(Path folder, String... names) throws IOException {
        Files.createDirectories(folder);
        for (String name : names) {
            Files.writeString(folder.resolve(name), "x");
        }
    }

    @Test
    void readsSplitsInNameOrderAndCountsWhatItSkips(@TempDir Path root) throws IOException {
        touch(root.resolve("bounding_box_train"), "0002_c2s1_000100_01.jpg", "0002_c1s1_000050_01.jpg",
                "0007_c3s1_000001_01.jpg", "Thumbs.db", "-1_c1s1_000002_01.jpg");
        touch(root.resolve("query"), "0010_c1s1_000001_00.jpg");
        touch(root.resolve("bounding_box_test"), "0010_c2s1_000001_01.jpg", "0000_c1s1_000003_01.jpg",
                "-1_c2s1_000004_01.jpg", "notes.txt");
        ReidDataset dataset = MarketLayout.read(root, "market1501");
        assertEquals(List.of(new ReidImage(root.resolve("bounding_box_train/0002_c1s1_000050_01.jpg"), 2, 1),
                new ReidImage(root.resolve("bounding_box_train/0002_c2s1_000100_01.jpg"), 2, 2),
                new ReidImage(root.resolve("bounding_box_train/0007_c3s1_000001_01.jpg"), 7, 3)), dataset.train());
        assertEquals(2, dataset.trainIdentities());
        assertEquals(1, dataset.query().size());
        assertEquals(3, dataset.gallery().size(), "distractor and junk stay in the gallery");
        assertEquals(3, dataset.skipped().size(), "Thumbs.db, notes.txt and the junk training image");
        assertTrue(dataset.skipped().stream().anyMatch(s -> s.path().endsWith("Thumbs.db")
                && s.reason().contains("0002_c1s1_000451_03.jpg")));
    }

    @Test
    void missingFolderIsNamed(@TempDir Path root) throws IOException {
        touch(root.resolve("bounding_box_train"), "0002_c1s1_000050_01.jpg");
        touch(root.resolve("query"), "0002_c1s1_000050_01.jpg");
        FedklprException e = assertThrows(FedklprException.class, () -> MarketLayout.read(root, "market1501"));
        assertTrue(e.getMessage().contains("bounding_box_test/"), e.getMessage());
        FedklprException absent = assertThrows(FedklprException.class,
                () -> MarketLayout.read(root.resolve("nowhere"), "market1501"));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    void emptySplitIsAnError(@TempDir Path root) throws IOException {
        touch(root.resolve("bounding_box_train"), "readme.txt");
        touch(root.resolve("query"), "0002_c1s1_000050_01.jpg");
        touch(root.resolve("bounding_box_test"), "0002_c2s1_000050_01.jpg");
        FedklprException e = assertThrows(FedklprException.class, () -> MarketLayout.read(root, "market1501"));
        assertTrue(e.getMessage().contains("bounding_box_train has no usable images")
                && e.getMessage().contains("found 1 files"), e.getMessage());
    }
}
