package org.fedklpr.data.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;

/**
 * What every layout needs from the file system: sorted listings (so a dataset is the same on every
 * machine) and a cheap check that a file is an image, by its first bytes, so that empty files and
 * files that only carry an image extension are skipped at load time rather than at decode time.
 */
final class ImageFiles {
    static final String NOT_AN_IMAGE = "not an image file (expected .jpg, .jpeg, .png or .bmp)";
    static final String BAD_HEADER = "not a readable JPEG, PNG or BMP file (empty, truncated or wrong header)";

    private ImageFiles() {
    }

    static List<Path> sortedFiles(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new FedklprException("cannot read dataset folder " + folder + ": " + e, e);
        }
    }

    static List<Path> sortedFolders(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new FedklprException("cannot read dataset folder " + folder + ": " + e, e);
        }
    }

    /** Why {@code file} cannot be an image, or empty when its name and first bytes look like one. */
    static Optional<String> problem(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png") || name.endsWith(".bmp"))) {
            return Optional.of(NOT_AN_IMAGE);
        }
        byte[] head = new byte[8];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
        boolean jpeg = read >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff;
        boolean png = read == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        boolean bmp = read >= 2 && head[0] == 'B' && head[1] == 'M';
        return jpeg || png || bmp ? Optional.empty() : Optional.of(BAD_HEADER);
    }

    static String folderName(Path root) {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }
}
