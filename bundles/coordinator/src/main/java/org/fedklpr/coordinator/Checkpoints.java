package org.fedklpr.coordinator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Checkpoints of completed rounds under {@code <run>/checkpoint/}: the round's models go to their own
 * folder first, then {@code progress.json} is replaced atomically to point at it, so a crash at any
 * moment leaves the previous checkpoint intact. The coordinator's side only: each site saves its own
 * state of the round (its head, its pruning state) in its own state folder, under the experiment id
 * recorded here, before this checkpoint is written.
 */
final class Checkpoints {
    private static final String PROGRESS = "progress.json";
    private static final String GLOBAL = "global.fklw";
    /** Which elements of the global model each pruning client is sent (see {@link DownlinkMasks}). */
    private static final String DOWNLINK_MASKS = "downlink-masks.bin";
    private static final int DOWNLINK_MASKS_MAGIC = 0x464b444d; // "FKDM"
    /** Every setting in effect when the round was checkpointed: a resume must run under the same. */
    private static final String SETTINGS = "settings.json";

    /**
     * What the run had achieved when the checkpoint was taken.
     *
     * @param experiment the id under which the sites saved their own state of the same round
     */
    record Progress(int round, String digest, String experiment, long bytesUp, long bytesDown, long bytesEvaluation,
            double seconds, double initialRank1, double initialMAP) {
    }

    record Restored(Progress progress, ModelState global, Map<String, ModelMask> downlinkMasks) {
    }

    private final Path folder;
    private final WireCodec codec;
    private final Gson gson;

    Checkpoints(Path runDirectory, WireCodec codec, Gson gson) {
        this.folder = runDirectory.resolve("checkpoint");
        this.codec = codec;
        this.gson = gson;
    }

    void save(Progress progress, ModelState global, Map<String, ModelMask> downlinkMasks, JsonObject settings) {
        Path round = folder.resolve(roundFolder(progress.round()));
        RunFolder.create(round, "checkpoint folder");
        write(round.resolve(GLOBAL), codec.encode(global, null));
        try {
            write(round.resolve(DOWNLINK_MASKS), encodeMasks(downlinkMasks));
        } catch (IOException e) {
            throw new IllegalStateException("encoding masks in memory cannot fail", e);
        }
        write(round.resolve(SETTINGS), (gson.toJson(settings) + "\n").getBytes(StandardCharsets.UTF_8));
        Path temporary = folder.resolve(PROGRESS + ".tmp");
        write(temporary, gson.toJson(progress).getBytes(StandardCharsets.UTF_8));
        try {
            Files.move(temporary, folder.resolve(PROGRESS), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot write " + folder.resolve(PROGRESS) + " (renaming " + temporary
                    + " failed: " + e.getMessage() + ")", e);
        }
        try {
            deleteOtherRounds(progress.round());
        } catch (IOException e) {
            throw new FedklprException("cannot delete an earlier checkpoint under " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new FedklprException("cannot write checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }

    /** What the last checkpoint says was completed, if the folder has one. */
    Optional<Progress> progress() {
        Path file = folder.resolve(PROGRESS);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Progress progress = gson.fromJson(Files.readString(file, StandardCharsets.UTF_8), Progress.class);
            if (progress == null || progress.digest() == null) {
                throw new JsonParseException("it holds no checkpoint record");
            }
            return Optional.of(progress);
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    /** The settings in effect when round {@code round} was checkpointed (none in older checkpoints). */
    Optional<JsonObject> settings(int round) {
        Path file = folder.resolve(roundFolder(round)).resolve(SETTINGS);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject());
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * The last checkpoint, if there is one (its settings were checked against the run's before).
     *
     * @throws FedklprException naming the file that is damaged or missing, and why
     */
    Optional<Restored> load() {
        Optional<Progress> found = progress();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Progress progress = found.get();
        Path round = folder.resolve(roundFolder(progress.round()));
        ModelState global = decode(round.resolve(GLOBAL));
        Path masks = round.resolve(DOWNLINK_MASKS);
        // Checkpoints written before the masks were saved have none: every client then gets
        // the whole global model once, as a client that does not prune would.
        Map<String, ModelMask> downlinkMasks = Map.of();
        if (Files.exists(masks)) {
            try {
                downlinkMasks = decodeMasks(Files.readAllBytes(masks));
            } catch (IOException | RuntimeException e) {
                throw unreadable(masks, e);
            }
        }
        return Optional.of(new Restored(progress, global, downlinkMasks));
    }

    private ModelState decode(Path file) {
        try {
            return codec.decode(Files.readAllBytes(file)).state();
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static FedklprException unreadable(Path file, Exception e) {
        String why = e instanceof NoSuchFileException ? "it is missing" : e.getMessage();
        return new FedklprException("checkpoint file " + file + " cannot be read (" + why + "); delete the folder "
                + file.getParent().getParent() + " to start the experiment afresh", e);
    }

    /**
     * {@code "FKDM" u32 clients, per client: UTF id, u32 tensors, per tensor: UTF name, u32 words,
     * u64 words (BitSet.toLongArray)}, then the CRC-32 of everything before it.
     */
    static byte[] encodeMasks(Map<String, ModelMask> masks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(DOWNLINK_MASKS_MAGIC);
        out.writeInt(masks.size());
        for (Map.Entry<String, ModelMask> client : masks.entrySet()) {
            out.writeUTF(client.getKey());
            out.writeInt(client.getValue().tensors().size());
            for (Map.Entry<String, BitSet> tensor : client.getValue().tensors().entrySet()) {
                out.writeUTF(tensor.getKey());
                long[] words = tensor.getValue().toLongArray();
                out.writeInt(words.length);
                for (long word : words) {
                    out.writeLong(word);
                }
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    static Map<String, ModelMask> decodeMasks(byte[] encoded) throws IOException {
        if (encoded.length < 16) {
            throw new IOException(DOWNLINK_MASKS + " is truncated (" + encoded.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(encoded, 0, encoded.length - 8);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
        if (in.readInt() != DOWNLINK_MASKS_MAGIC) {
            throw new IOException(DOWNLINK_MASKS + " does not start with FKDM");
        }
        long stored = ByteBuffer.wrap(encoded, encoded.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(DOWNLINK_MASKS + " fails its checksum");
        }
        Map<String, ModelMask> masks = new LinkedHashMap<>();
        int clients = in.readInt();
        for (int c = 0; c < clients; c++) {
            String client = in.readUTF();
            int tensors = in.readInt();
            Map<String, BitSet> kept = new LinkedHashMap<>();
            for (int t = 0; t < tensors; t++) {
                String name = in.readUTF();
                long[] words = new long[in.readInt()];
                for (int w = 0; w < words.length; w++) {
                    words[w] = in.readLong();
                }
                kept.put(name, BitSet.valueOf(words));
            }
            masks.put(client, ModelMask.of(kept));
        }
        return masks;
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
