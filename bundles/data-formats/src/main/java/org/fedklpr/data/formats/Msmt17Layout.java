package org.fedklpr.data.formats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.SkippedFile;

/**
 * MSMT17 (V1 and V2): images under {@code train/} and {@code test/} (V2: {@code mask_train_v2/},
 * {@code mask_test_v2/}), and list files whose lines are {@code <relative path> <person>}, e.g.
 * {@code 0000/0000_000_01_0303morning_0015_0.jpg 0}. Training is {@code list_train.txt} plus
 * {@code list_val.txt} (the official 32,621-image training set); query and gallery come from
 * {@code list_query.txt} and {@code list_gallery.txt}. The camera is the third field of the file
 * name ({@code 01}–{@code 15}).
 *
 * <p>The lists number persons from 0, which the platform reserves for distractors (MSMT17 has
 * none), so every listed person id is shifted by one. A line that cannot be read, or that names a
 * missing or broken file, is skipped and counted.
 */
final class Msmt17Layout {
    static final String DESCRIPTION = "msmt17: list_train.txt, list_val.txt, list_query.txt and list_gallery.txt"
            + " beside train/ and test/ (or mask_train_v2/ and mask_test_v2/) (MSMT17 V1, V2)";
    private static final List<String> TRAIN_FOLDERS = List.of("train", "mask_train_v2");
    private static final List<String> TEST_FOLDERS = List.of("test", "mask_test_v2");

    private Msmt17Layout() {
    }

    static boolean recognises(Path root) {
        return Files.isRegularFile(root.resolve("list_query.txt")) && Files.isRegularFile(root.resolve("list_gallery.txt"));
    }

    static ReidDataset read(Path root, String format) {
        if (!Files.isDirectory(root)) {
            throw new FedklprException("dataset folder " + root + " does not exist or is not a folder");
        }
        Path trainImages = folder(root, TRAIN_FOLDERS);
        Path testImages = folder(root, TEST_FOLDERS);
        List<SkippedFile> skipped = new ArrayList<>();
        SplitCollector train = new SplitCollector(SkippedFile.TRAIN, skipped);
        readList(root.resolve("list_train.txt"), trainImages, train, true);
        readList(root.resolve("list_val.txt"), trainImages, train, false);
        SplitCollector query = new SplitCollector(SkippedFile.QUERY, skipped);
        readList(root.resolve("list_query.txt"), testImages, query, true);
        SplitCollector gallery = new SplitCollector(SkippedFile.GALLERY, skipped);
        readList(root.resolve("list_gallery.txt"), testImages, gallery, true);
        String expected = "lines like '0000/0000_000_01_0303morning_0015_0.jpg 0' naming existing images";
        return new ReidDataset(ImageFiles.folderName(root), root, format,
                train.images(root.resolve("list_train.txt"), expected),
                query.images(root.resolve("list_query.txt"), expected),
                gallery.images(root.resolve("list_gallery.txt"), expected), skipped);
    }

    private static Path folder(Path root, List<String> names) {
        return names.stream().map(root::resolve).filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new FedklprException(root + " is not an MSMT17 dataset: it has neither "
                        + String.join("/ nor ", names) + "/ (the image folder its list files point into)"));
    }

    private static void readList(Path list, Path images, SplitCollector split, boolean required) {
        if (!Files.isRegularFile(list)) {
            if (required) {
                throw new FedklprException(list.getParent() + " is not an MSMT17 dataset: " + list.getFileName()
                        + " is missing (expected list_train.txt, list_val.txt, list_query.txt, list_gallery.txt)");
            }
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FedklprException("cannot read MSMT17 list " + list + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            Path where = list.resolveSibling(list.getFileName() + ":" + (i + 1));
            Optional<Integer> person = fields.length == 2 && fields[1].matches("\\d{1,9}")
                    ? Optional.of(Integer.parseInt(fields[1])) : Optional.empty();
            if (person.isEmpty()) {
                split.skip(where, "list line is not '<relative path> <person id>'");
                continue;
            }
            Path file = images.resolve(fields[0]).normalize();
            Optional<Integer> camera = camera(file.getFileName().toString());
            if (!file.startsWith(images) || !Files.isRegularFile(file)) {
                split.skip(file, "listed in " + list.getFileName() + " but not found under " + images.getFileName()
                        + "/");
            } else if (camera.isEmpty()) {
                split.skip(file, "name has no camera (expected names like 0000_000_01_0303morning_0015_0.jpg)");
            } else {
                Optional<String> problem = ImageFiles.problem(file);
                if (problem.isPresent()) {
                    split.skip(file, problem.get());
                } else {
                    split.add(file, person.get() + 1, camera.get());
                }
            }
        }
    }

    /** {@code 0000_000_01_0303morning_0015_0.jpg}: the third field is the camera, 1-based. */
    private static Optional<Integer> camera(String fileName) {
        String[] parts = fileName.split("_");
        if (parts.length < 4 || !parts[2].matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int camera = Integer.parseInt(parts[2]);
        return camera > 0 ? Optional.of(camera) : Optional.empty();
    }
}
