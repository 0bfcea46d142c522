package org.fedklpr.data.market1501;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;

/**
 * Reads a dataset folder in the Market-1501 layout. Files are read in name order so the dataset is
 * the same on every machine. Junk ({@code -1}) and distractors ({@code 0000}) stay in query and
 * gallery, where the evaluation protocol handles them, and are left out of training.
 */
final class MarketLayout {
    static final String TRAIN = "bounding_box_train";
    static final String QUERY = "query";
    static final String GALLERY = "bounding_box_test";

    private MarketLayout() {
    }

    static ReidDataset read(Path root, String format) {
        if (!Files.isDirectory(root)) {
            throw new FedklprException("dataset folder " + root + " does not exist or is not a folder");
        }
        List<SkippedFile> skipped = new ArrayList<>();
        List<ReidImage> train = new ArrayList<>();
        for (ReidImage image : split(root, TRAIN, skipped)) {
            if (image.personId() <= 0) {
                skipped.add(new SkippedFile(image.path(), "junk or distractor image in the training split"));
            } else {
                train.add(image);
            }
        }
        List<ReidImage> query = split(root, QUERY, skipped);
        List<ReidImage> gallery = split(root, GALLERY, skipped);
        String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
        return new ReidDataset(name, root, format, train, query, gallery, skipped);
    }

    private static List<ReidImage> split(Path root, String folderName, List<SkippedFile> skipped) {
        Path folder = root.resolve(folderName);
        if (!Files.isDirectory(folder)) {
            throw new FedklprException(root + " is not a Market-1501 dataset: it has no " + folderName
                    + "/ folder (expected " + TRAIN + "/, " + QUERY + "/ and " + GALLERY + "/)");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new FedklprException("cannot read dataset folder " + folder + ": " + e, e);
        }
        List<ReidImage> images = new ArrayList<>();
        for (Path file : files) {
            Optional<MarketFileName> parsed = MarketFileName.parse(file.getFileName().toString());
            if (parsed.isEmpty()) {
                skipped.add(new SkippedFile(file, "name does not follow the Market-1501 pattern (like "
                        + MarketFileName.EXAMPLE + ")"));
            } else {
                images.add(new ReidImage(file, parsed.get().personId(), parsed.get().camera()));
            }
        }
        if (images.stream().noneMatch(image -> image.personId() > 0)) {
            throw new FedklprException("dataset folder " + folder + " has no usable images (expected files named like "
                    + MarketFileName.EXAMPLE + "; found " + files.size() + " files)");
        }
        return images;
    }
}
