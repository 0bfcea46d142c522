package org.fedklpr.coordinator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * Checkpoints of completed rounds under {@code <run>/checkpoint/}: the round's models go to their own
 * folder first, then {@code progress.json} is replaced atomically to point at it, so a crash at any
 * moment leaves the previous checkpoint intact.
 */
final class Checkpoints {
    private static final String PROGRESS = "progress.json";
    private static final String GLOBAL = "global.fklw";
    /** Which elements of the global model each pruning client is sent (see {@link DownlinkMasks}). */
    private static final String DOWNLINK_MASKS = "downlink-masks.bin";
    private static final int DOWNLINK_MASKS_MAGIC = 0x464b444d; // "FKDM"

    /** What the run had achieved when the checkpoint was taken. */
    record Progress(int round, String digest, long bytesUp, long bytesDown, long bytesEvaluation, double seconds,
            double initialRank1, double initialMAP) {
    }

    record Restored(Progress progress, ModelState global, Map<String, ModelState> clients,
            Map<String, ModelMask> downlinkMasks) {
    }

    private final Path folder;
    private final WireCodec codec;
    private final Gson gson;

    Checkpoints(Path runDirectory, WireCodec codec, Gson gson) {
        this.folder = runDirectory.resolve("checkpoint");
        this.codec = codec;
        this.gson = gson;
    }

    void save(Progress progress, ModelState global, Map<String, ModelState> clientStates,
            Map<String, ModelMask> downlinkMasks) {
        try {
            Path round = Files.createDirectories(folder.resolve(roundFolder(progress.round())));
            Files.write(round.resolve(GLOBAL), codec.encode(global, null));
            for (Map.Entry<String, ModelState> client : clientStates.entrySet()) {
                Files.write(round.resolve(client.getKey() + ".fklw"), codec.encode(client.getValue(), null));
            }
            Files.write(round.resolve(DOWNLINK_MASKS), encodeMasks(downlinkMasks));
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
            Path masks = round.resolve(DOWNLINK_MASKS);
            // Checkpoints written before the masks were saved have none: every client then gets
            // the whole global model once, as a client that does not prune would.
            Map<String, ModelMask> downlinkMasks = Files.exists(masks) ? decodeMasks(Files.readAllBytes(masks))
                    : Map.of();
            return Optional.of(new Restored(progress, global, clients, downlinkMasks));
        } catch (IOException | RuntimeException e) {
            if (e instanceof FedklprException fedklpr && fedklpr.getMessage().startsWith("the run directory")) {
                throw fedklpr;
            }
            throw new FedklprException("the checkpoint in " + folder + " cannot be read (" + e.getMessage()
                    + "); delete it to start the experiment afresh", e);
        }
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
