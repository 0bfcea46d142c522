package org.fedklpr.coordinator;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.fedklpr.api.FedklprException;

/** Making the folders a run writes to, with a reason a user can act on when that cannot be done. */
final class RunFolder {
    private RunFolder() {
    }

    /**
     * Refuses, before anything runs, a folder that could not be made or written: a file stands where
     * it or a folder above it belongs, or the nearest folder that exists cannot be written.
     */
    static void checkUsable(Path folder, String what) {
        Path absolute = folder.toAbsolutePath();
        fileInTheWay(absolute).ifPresent(file -> {
            throw new FedklprException("cannot use " + absolute + " as the " + what + ": " + file
                    + " is a file, not a folder");
        });
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new FedklprException("cannot use " + absolute + " as the " + what + ": " + existing
                    + " cannot be written");
        }
    }

    /** Creates {@code folder} and those above it, or says why it cannot. */
    static void create(Path folder, String what) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            String why = fileInTheWay(folder.toAbsolutePath()).map(file -> file + " is a file, not a folder")
                    .orElse(e instanceof FileSystemException failed && failed.getReason() != null ? failed.getReason()
                            : e.toString());
            throw new FedklprException("cannot create the " + what + " " + folder + " (" + why + ")", e);
        }
    }

    private static Optional<Path> fileInTheWay(Path folder) {
        for (Path above = folder; above != null; above = above.getParent()) {
            if (Files.exists(above) && !Files.isDirectory(above)) {
                return Optional.of(above);
            }
        }
        return Optional.empty();
    }
}
