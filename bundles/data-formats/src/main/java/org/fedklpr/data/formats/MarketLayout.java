package org.fedklpr.data.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.SkippedFile;

/**
 * The Market-1501 layout, shared by DukeMTMC-reID and CUHK03-NP (new protocol):
 * {@code bounding_box_train/}, {@code query/} and {@code bounding_box_test/}, person and camera in
 * each file name ({@link ReidFileName}). Other folders ({@code gt_bbox}, {@code gt_query}) are not
 * read.
 */
final class MarketLayout {
    static final String TRAIN = "bounding_box_train";
    static final String QUERY = "query";
    static final String GALLERY = "bounding_box_test";
    static final String DESCRIPTION = "market1501: " + TRAIN + "/, " + QUERY + "/ and " + GALLERY
            + "/ with names like 0002_c1s1_000451_03.jpg (Market-1501, DukeMTMC-reID, CUHK03-NP)";

    private MarketLayout() {
    }

    static boolean recognises(Path root) {
        return Files.isDirectory(root.resolve(QUERY))
                && (Files.isDirectory(root.resolve(TRAIN)) || Files.isDirectory(root.resolve(GALLERY)));
    }

    static ReidDataset read(Path root, String format) {
        if (!Files.isDirectory(root)) {
            throw new FedklprException("dataset folder " + root + " does not exist or is not a folder");
        }
        List<SkippedFile> skipped = new ArrayList<>();
        SplitCollector train = split(root, TRAIN, SkippedFile.TRAIN, skipped);
        SplitCollector query = split(root, QUERY, SkippedFile.QUERY, skipped);
        SplitCollector gallery = split(root, GALLERY, SkippedFile.GALLERY, skipped);
        String expected = "files named like " + ReidFileName.EXAMPLES;
        return new ReidDataset(ImageFiles.folderName(root), root, format, train.images(root.resolve(TRAIN), expected),
                query.images(root.resolve(QUERY), expected), gallery.images(root.resolve(GALLERY), expected), skipped);
    }

    private static SplitCollector split(Path root, String folderName, String split, List<SkippedFile> skipped) {
        Path folder = root.resolve(folderName);
        if (!Files.isDirectory(folder)) {
            throw new FedklprException(root + " is not a Market-1501 style dataset: it has no " + folderName
                    + "/ folder (expected " + TRAIN + "/, " + QUERY + "/ and " + GALLERY + "/)");
        }
        SplitCollector collector = new SplitCollector(split, skipped);
        for (Path file : ImageFiles.sortedFiles(folder)) {
            Optional<String> problem = ImageFiles.problem(file);
            Optional<ReidFileName> name = ReidFileName.parse(file.getFileName().toString());
            if (problem.isPresent()) {
                collector.skip(file, problem.get());
            } else if (name.isEmpty()) {
                collector.skip(file, "name has no person and camera (expected names like " + ReidFileName.EXAMPLES
                        + ")");
            } else {
                collector.add(file, name.get().personId(), name.get().camera());
            }
        }
        return collector;
    }
}
