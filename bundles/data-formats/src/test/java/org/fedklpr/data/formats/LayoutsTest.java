package org.fedklpr.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every layout on small generated folders that hold the junk real folders hold. */
class LayoutsTest {

    private static Map<String, Long> skippedBySplit(ReidDataset dataset) {
        return dataset.skipped().stream().collect(Collectors.groupingBy(SkippedFile::split, Collectors.counting()));
    }

    private static boolean skippedWith(ReidDataset dataset, String fileName, String reasonPart) {
        return dataset.skipped().stream().anyMatch(s -> s.path().getFileName().toString().equals(fileName)
                && s.reason().contains(reasonPart));
    }

    @Test
    void marketLayoutKeepsJunkAndDistractorsForEvaluationAndSkipsTheRest(@TempDir Path root) throws IOException {
        Path train = root.resolve("bounding_box_train");
        TestImages.images(train, "0002_c2s1_000100_01.jpg", "0002_c1s1_000050_01.jpg", "0007_c3s1_000001_01.jpg",
                "-1_c1s1_000002_01.jpg", "0000_c1s1_000009_01.jpg");
        TestImages.text(train, "Thumbs.db", "x");
        TestImages.text(train, "0009_c1s1_000003_01.jpg", ""); // empty file with an image name
        TestImages.images(root.resolve("query"), "0010_c1s1_000001_00.jpg");
        Path gallery = root.resolve("bounding_box_test");
        TestImages.images(gallery, "0010_c2s1_000001_01.jpg", "0000_c1s1_000003_01.jpg", "-1_c2s1_000004_01.jpg");
        TestImages.text(gallery, "0010_c3s1_000002_01.jpg", "<html>not an image</html>");
        TestImages.text(gallery, "notes.txt", "x");
        Files.createDirectories(root.resolve("gt_bbox")); // present in Market-1501, not read

        assertTrue(new Market1501Provider().recognises(root));
        assertFalse(new Msmt17Provider().recognises(root));
        assertFalse(new FedReidProvider().recognises(root));
        ReidDataset dataset = new Market1501Provider().load(root);
        assertEquals("market1501", dataset.format());
        assertEquals(List.of(new ReidImage(train.resolve("0002_c1s1_000050_01.jpg"), 2, 1),
                new ReidImage(train.resolve("0002_c2s1_000100_01.jpg"), 2, 2),
                new ReidImage(train.resolve("0007_c3s1_000001_01.jpg"), 7, 3)), dataset.train());
        assertEquals(3, dataset.gallery().size(), "distractor and junk stay in the gallery");
        assertEquals(Map.of("train", 4L, "gallery", 2L), skippedBySplit(dataset));
        assertTrue(skippedWith(dataset, "-1_c1s1_000002_01.jpg", SkippedFile.JUNK_IN_TRAINING));
        assertTrue(skippedWith(dataset, "0000_c1s1_000009_01.jpg", SkippedFile.DISTRACTOR_IN_TRAINING));
        assertTrue(skippedWith(dataset, "Thumbs.db", ImageFiles.NOT_AN_IMAGE));
        assertTrue(skippedWith(dataset, "0009_c1s1_000003_01.jpg", ImageFiles.BAD_HEADER));
        assertTrue(skippedWith(dataset, "0010_c3s1_000002_01.jpg", ImageFiles.BAD_HEADER));
    }

    @Test
    void marketLayoutNamesTheMissingFolderAndAnEmptySplit(@TempDir Path root) throws IOException {
        TestImages.images(root.resolve("bounding_box_train"), "0002_c1s1_000050_01.jpg");
        TestImages.images(root.resolve("query"), "0002_c1s1_000050_01.jpg");
        FedklprException e = assertThrows(FedklprException.class, () -> new Market1501Provider().load(root));
        assertTrue(e.getMessage().contains("bounding_box_test/"), e.getMessage());
        TestImages.text(root.resolve("bounding_box_test"), "readme.txt", "x");
        FedklprException empty = assertThrows(FedklprException.class, () -> new Market1501Provider().load(root));
        assertTrue(empty.getMessage().contains("the gallery split") && empty.getMessage().contains("1 file was skipped")
                && empty.getMessage().contains("readme.txt"), empty.getMessage());
        FedklprException absent = assertThrows(FedklprException.class,
                () -> new Market1501Provider().load(root.resolve("nowhere")));
        assertTrue(absent.getMessage().contains("does not exist"), absent.getMessage());
    }

    @Test
    void fedReidLayoutTakesPersonsFromFoldersAndCamerasFromNames(@TempDir Path dataset) throws IOException {
        Path pytorch = dataset.resolve("pytorch");
        TestImages.images(pytorch.resolve("train_all/0003"), "0003_c1s1_000010_01.jpg", "0003_c2s1_000020_01.jpg");
        TestImages.images(pytorch.resolve("train_all/0031"), "cam_1_0031_00.png", "cam_2_31_01.png");
        TestImages.images(pytorch.resolve("train_all/0005"), "0006_c1s1_000010_01.jpg"); // folder and name disagree
        TestImages.images(pytorch.resolve("train_all/extra"), "0003_c1s1_000011_01.jpg");
        TestImages.images(pytorch.resolve("train_all/0008"), "frame_001.jpg");
        TestImages.text(pytorch.resolve("train_all"), "list.txt", "x");
        TestImages.images(pytorch.resolve("train"), "0003_c1s1_000010_01.jpg"); // train_all wins over train
        TestImages.images(pytorch.resolve("query/0031"), "cam_1_0031_02.png");
        TestImages.images(pytorch.resolve("gallery/0031"), "cam_2_0031_03.png");
        TestImages.images(pytorch.resolve("gallery/-1"), "-1_c1s1_000001_01.jpg");
        TestImages.images(pytorch.resolve("gallery/0000"), "0000_c2s1_000001_01.jpg");
        TestImages.text(pytorch.resolve("gallery/0031"), "broken.png", "\u0089PN"); // truncated header

        FedReidProvider provider = new FedReidProvider();
        assertTrue(provider.recognises(dataset) && provider.recognises(pytorch));
        assertFalse(new Market1501Provider().recognises(dataset));
        ReidDataset read = provider.load(dataset);
        assertEquals(List.of(3, 3, 31, 31), read.train().stream().map(ReidImage::personId).toList());
        assertEquals(List.of(1, 2, 1, 2), read.train().stream().map(ReidImage::camera).toList());
        assertEquals(List.of(new ReidImage(pytorch.resolve("query/0031/cam_1_0031_02.png"), 31, 1)), read.query());
        assertEquals(List.of(-1, 0, 31), read.gallery().stream().map(ReidImage::personId).toList());
        assertEquals(Map.of("train", 4L, "gallery", 1L), skippedBySplit(read));
        assertTrue(skippedWith(read, "0006_c1s1_000010_01.jpg", "differs from its folder"));
        assertTrue(skippedWith(read, "0003_c1s1_000011_01.jpg", "not a person id"));
        assertTrue(skippedWith(read, "frame_001.jpg", "name has no camera"));
        assertTrue(skippedWith(read, "list.txt", "one folder per person"));
        assertTrue(skippedWith(read, "broken.png", ImageFiles.BAD_HEADER));
        FedklprException e = assertThrows(FedklprException.class, () -> provider.load(dataset.resolveSibling("x")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void msmt17ReadsListFilesShiftingPersonsByOne(@TempDir Path root) throws IOException {
        TestImages.images(root.resolve("train/0000"), "0000_000_01_0303morning_0015_0.jpg",
                "0000_001_03_0303morning_0016_0.jpg");
        TestImages.images(root.resolve("train/0001"), "0001_000_02_0303noon_0001_0.jpg");
        TestImages.images(root.resolve("test/0000"), "0000_000_04_0303afternoon_0001_0.jpg",
                "0000_001_05_0303afternoon_0002_0.jpg");
        TestImages.text(root.resolve("test/0000"), "0000_002_06_0303afternoon_0003_0.jpg", "garbage");
        TestImages.text(root, "list_train.txt", """
                0000/0000_000_01_0303morning_0015_0.jpg 0
                0000/0000_001_03_0303morning_0016_0.jpg 0
                0000/missing_file.jpg 0
                this line is broken
                """);
        TestImages.text(root, "list_val.txt", "0001/0001_000_02_0303noon_0001_0.jpg 1\n");
        TestImages.text(root, "list_query.txt", "0000/0000_000_04_0303afternoon_0001_0.jpg 0\n");
        TestImages.text(root, "list_gallery.txt", "0000/0000_001_05_0303afternoon_0002_0.jpg 0\n"
                + "0000/0000_002_06_0303afternoon_0003_0.jpg 0\n");

        Msmt17Provider provider = new Msmt17Provider();
        assertTrue(provider.recognises(root));
        assertFalse(new Market1501Provider().recognises(root) || new FedReidProvider().recognises(root));
        ReidDataset dataset = provider.load(root);
        assertEquals(List.of(1, 1, 2), dataset.train().stream().map(ReidImage::personId).toList());
        assertEquals(List.of(1, 3, 2), dataset.train().stream().map(ReidImage::camera).toList());
        assertEquals(List.of(new ReidImage(root.resolve("test/0000/0000_000_04_0303afternoon_0001_0.jpg"), 1, 4)),
                dataset.query());
        assertEquals(1, dataset.gallery().size());
        assertEquals(Map.of("train", 2L, "gallery", 1L), skippedBySplit(dataset));
        assertTrue(skippedWith(dataset, "missing_file.jpg", "not found under train/"));
        assertTrue(skippedWith(dataset, "list_train.txt:4", "list line"));
        assertTrue(skippedWith(dataset, "0000_002_06_0303afternoon_0003_0.jpg", ImageFiles.BAD_HEADER));

        Files.delete(root.resolve("list_query.txt"));
        assertFalse(provider.recognises(root));
        FedklprException e = assertThrows(FedklprException.class, () -> provider.load(root));
        assertTrue(e.getMessage().contains("list_query.txt is missing"), e.getMessage());
    }

    @Test
    void autoReadsEachFolderWithTheLayoutThatRecognisesIt(@TempDir Path root) throws IOException {
        AutoDetectingProvider auto = new AutoDetectingProvider();
        auto.addLayout(new Market1501Provider(), Map.of("fedklpr.name", "market1501"));
        auto.addLayout(new Msmt17Provider(), Map.of("fedklpr.name", "msmt17"));
        auto.addLayout(new FedReidProvider(), Map.of("fedklpr.name", "fedreid"));
        Path market = root.resolve("market");
        TestImages.images(market.resolve("bounding_box_train"), "0002_c1s1_000050_01.jpg");
        TestImages.images(market.resolve("query"), "0002_c1s1_000051_01.jpg");
        TestImages.images(market.resolve("bounding_box_test"), "0002_c2s1_000050_01.jpg");
        Path viper = root.resolve("viper/pytorch");
        TestImages.images(viper.resolve("train_all/0001"), "cam_1_0001_00.png");
        TestImages.images(viper.resolve("query/0002"), "cam_1_0002_00.png");
        TestImages.images(viper.resolve("gallery/0002"), "cam_2_0002_00.png");
        assertEquals("market1501", auto.load(market).format());
        assertEquals("fedreid", auto.load(root.resolve("viper")).format());
        Path unknown = Files.createDirectories(root.resolve("unknown/images"));
        FedklprException e = assertThrows(FedklprException.class, () -> auto.load(unknown.getParent()));
        assertTrue(e.getMessage().contains("cannot tell the layout") && e.getMessage().contains("msmt17: list_train.txt"),
                e.getMessage());
    }
}
