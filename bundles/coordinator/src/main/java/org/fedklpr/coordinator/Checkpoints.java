package org.fedklpr.coordinator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;

import com.google.gson.Gson;

/**
 * Checkpoints of completed rounds under {@code <run>/checkpoint/}: the round's models go to their own
 * folder first, then {@code progress.json} is replaced atomically to point at it, so a crash at any
 * moment leaves the previous checkpoint intact.
 */
final class Checkpoints {
    private static final String PROGRESS = "progress.json";
    private static final String GLOBAL = "global.fklw";

    /** What the run had achieved when the checkpoint was taken. */
    record Progress(int round, String digest, long bytesUp, long bytesDown, long bytesEvaluation, double seconds,
            double initialRank1, double initialMAP) {
    }

    record Restored(Progress progress, ModelState global, Map<String, ModelState> clients) {
    }

    private final Path folder;
    private final WireCodec codec;
    private final Gson gson;

    Checkpoints(Path runDirectory, WireCodec codec, Gson gson) {
        this.folder = runDirectory.resolve("checkpoint");
        this.codec = codec;
        this.gson = gson;
    }

    void save(Progress progress, ModelState global, Map<String, ModelState> clientStates) {
        try {
            Path round = Files.createDirectories(folder.resolve(roundFolder(progress.round())));
            Files.write(round.resolve(GLOBAL), codec.encode(global, null));
            for (Map.Entry<String, ModelState> client : clientStates.entrySet()) {
                Files.write(round.resolve(client.getKey() + ".fklw"), codec.encode(client.getValue(), null));
            }
            Path temporary = folder.resolve(PROGRESS + ".tmp");
            Files.writeString(temporary, gson.toJson(progress), StandardCharsets.UTF_8);
            Files.move(temporary, folder.resolve(PROGRESS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            deleteOtherRounds(progress.round());
        } catch (IOException e) {
            throw new FedklprException("cannot write a checkpoint to " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The last checkpoint, if there is one.
     *
     * @throws FedklprException if it belongs to a different experiment or is damaged
     */
    Optional<Restored> load(String digest, List<String> clientIds) {
        Path progressFile = folder.resolve(PROGRESS);
        if (!Files.exists(progressFile)) {
            return Optional.empty();
        }
        try {
            Progress progress = gson.fromJson(Files.readString(progressFile, StandardCharsets.UTF_8), Progress.class);
            if (!digest.equals(progress.digest())) {
                throw new FedklprException("the run directory " + folder.getParent() + " holds a checkpoint of a "
                        + "different experiment (its settings differ); choose another output folder or delete it");
            }
            Path round = folder.resolve(roundFolder(progress.round()));
            ModelState global = codec.decode(Files.readAllBytes(round.resolve(GLOBAL))).state();
            Map<String, ModelState> clients = new LinkedHashMap<>();
            for (String client : clientIds) {
                clients.put(client, codec.decode(Files.readAllBytes(round.resolve(client + ".fklw"))).state());
            }
            return Optional.of(new Restored(progress, global, clients));
        } catch (IOException | RuntimeException e) {
            if (e instanceof FedklprException fedklpr && fedklpr.getMessage().startsWith("the run directory")) {
                throw fedklpr;
            }
            throw new FedklprException("the checkpoint in " + folder + " cannot be read (" + e.getMessage()
                    + "); delete it to start the experiment afresh", e);
        }
    }

    private static String roundFolder(int round) {
        return String.format("round-%04d", round);
    }

    private void deleteOtherRounds(int keep) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && name.startsWith("round-") && !name.equals(roundFolder(keep))) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
            }
        }
    }
}
