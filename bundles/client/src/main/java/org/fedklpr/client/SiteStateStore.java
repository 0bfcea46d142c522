package org.fedklpr.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;

/**
 * What a site keeps between rounds, on its own disk: {@code <state>/<experiment>/round-NNNN.fklw},
 * one file per completed round, encoded with a checksummed codec. The coordinator completes a round
 * after its sites have saved it, so a site keeps the round before too: if the coordinator stops in
 * between, it resumes from that one.
 */
final class SiteStateStore {
    private static final Pattern ROUND_FILE = Pattern.compile("round-(\\d+)\\.fklw");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path folder;
    private final WireCodec codec;

    SiteStateStore(Path folder, WireCodec codec) {
        this.folder = folder;
        this.codec = codec;
    }

    void save(String experiment, int round, ModelState state) {
        Path experimentFolder = experimentFolder(experiment);
        Path file = experimentFolder.resolve(fileName(round));
        Path temporary = experimentFolder.resolve(fileName(round) + ".tmp");
        try {
            Files.createDirectories(experimentFolder);
            Files.write(temporary, codec.encode(state, null));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot write the site's state file " + file + ": " + e.getMessage(), e);
        }
        deleteBefore(experimentFolder, round - 1);
    }

    ModelState load(String experiment, int round) {
        Path file = experimentFolder(experiment).resolve(fileName(round));
        try {
            return codec.decode(Files.readAllBytes(file)).state();
        } catch (NoSuchFileException e) {
            throw new FedklprException("the site's state file " + file + " does not exist: this site's state folder "
                    + folder + " does not hold round " + round + " of experiment " + experiment
                    + " (was the site started with another --state?)", e);
        } catch (IOException | RuntimeException e) {
            throw new FedklprException("the site's state file " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private Path experimentFolder(String experiment) {
        if (!SAFE_NAME.matcher(experiment).matches()) {
            throw new FedklprException("experiment id '" + experiment + "' is not a plain name (letters, digits, . _ -)");
        }
        return folder.resolve(experiment);
    }

    private static String fileName(int round) {
        return String.format(Locale.ROOT, "round-%04d.fklw", round);
    }

    /** Rounds before {@code keepFrom} are never resumed from again. */
    private static void deleteBefore(Path experimentFolder, int keepFrom) {
        try (Stream<Path> files = Files.list(experimentFolder)) {
            for (Path file : files.toList()) {
                Matcher matcher = ROUND_FILE.matcher(file.getFileName().toString());
                if (matcher.matches() && Integer.parseInt(matcher.group(1)) < keepFrom) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new FedklprException("cannot delete earlier state files in " + experimentFolder + ": "
                    + e.getMessage(), e);
        }
    }
}
