package org.fedklpr.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ImageFolder;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainImageFoldersTest {
    private final PlainImageFolders folders = new PlainImageFolders();

    @Test
    void aFolderIsListedInTheOrderItsDatasetReaderListsIt(@TempDir Path root) throws IOException {
        Path query = Files.createDirectories(root.resolve("query"));
        Path gallery = Files.createDirectories(root.resolve("bounding_box_test"));
        Files.createDirectories(root.resolve("bounding_box_train"));
        TestImages.image(root.resolve("bounding_box_train"), "0001_c1s1_000001_00.jpg");
        TestImages.image(root.resolve("bounding_box_train"), "0001_c2s1_000001_00.jpg");
        for (String name : List.of("0012_c2s1_000101_01.jpg", "0003_c1s1_000001_00.jpg", "0010_c1s2_000020_03.png")) {
            TestImages.image(query, name);
        }
        for (String name : List.of("0012_c1s1_000101_01.jpg", "-1_c1s1_000001_00.jpg", "0000_c2s1_000001_00.jpg",
                "0003_c2s1_000001_00.jpg", "0010_c2s2_000020_03.png")) {
            TestImages.image(gallery, name);
        }
        Files.writeString(gallery.resolve("notes.txt"), "not an image");
        ReidDataset dataset = MarketLayout.read(root, "market1501");

        ImageFolder listed = folders.read(query);
        assertEquals(dataset.query(), listed.labelled());
        assertEquals(dataset.query().stream().map(ReidImage::path).toList(), listed.images());
        ImageFolder galleryListed = folders.read(gallery);
        assertEquals(dataset.gallery(), galleryListed.labelled(), "junk and distractors are kept, as in a gallery");
        assertEquals(1, galleryListed.skipped().size());
        assertTrue(galleryListed.skipped().get(0).reason().startsWith("not an image file"));
    }

    @Test
    void aFolderWithOneUnlabelledNameIsUnlabelledAndSubFoldersFollowAFoldersOwnFiles(@TempDir Path root)
            throws IOException {
        TestImages.image(root, "0012_c2s1_000101_01.jpg");
        TestImages.image(root, "snapshot.jpg");
        Path person = Files.createDirectories(root.resolve("0007"));
        TestImages.image(person, "cam_1_0007_00.png");
        Files.createDirectories(root.resolve("0001"));
        TestImages.image(root.resolve("0001"), "a.jpg");
        ImageFolder listed = folders.read(root);
        assertFalse(listed.isLabelled());
        assertEquals(List.of(root.resolve("0012_c2s1_000101_01.jpg"), root.resolve("snapshot.jpg"),
                root.resolve("0001/a.jpg"), person.resolve("cam_1_0007_00.png")), listed.images());
    }

    @Test
    void aMissingOrEmptyFolderIsNamed(@TempDir Path root) throws IOException {
        FedklprException missing = assertThrows(FedklprException.class, () -> folders.read(root.resolve("none")));
        assertTrue(missing.getMessage().contains("none does not exist"), missing.getMessage());
        Files.writeString(root.resolve("readme.md"), "no images");
        FedklprException empty = assertThrows(FedklprException.class, () -> folders.read(root));
        assertTrue(empty.getMessage().contains("holds no image") && empty.getMessage().contains("readme.md"),
                empty.getMessage());
    }
}
