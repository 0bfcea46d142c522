package org.fedklpr.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec;

/**
 * What a site keeps between rounds, on its own disk: {@code <state>/<experiment>/round-NNNN.fklw},
 * one file per completed round, encoded with a checksummed codec. The coordinator completes a round
 * after its sites have saved it, so a site keeps the round before too: if the coordinator stops in
 * between, it resumes from that one. A simulated client that lends its network out may also keep
 * its state in {@code <state>/parked.fklw} meanwhile ({@code parkedState=disk}). Files are written
 * and read a tensor at a time (see {@link #write}); files of earlier versions, one payload, still read.
 */
final class SiteStateStore {
    private static final Pattern ROUND_FILE = Pattern.compile("round-(\\d+)\\.fklw");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String PARKED_FILE = "parked.fklw";
    /** What starts a state file written a tensor at a time (no codec's payload starts so). */
    private static final byte[] PARTS_MAGIC = {'F', 'K', 'L', 'P'};

    private final Path folder;
    private final WireCodec codec;

    SiteStateStore(Path folder, WireCodec codec) {
        this.folder = folder;
        this.codec = codec;
    }

    void save(String experiment, int round, ModelState state) {
        Path experimentFolder = experimentFolder(experiment);
        write(experimentFolder.resolve(fileName(round)), state);
        deleteBefore(experimentFolder, round - 1);
    }

    /**
     * Keeps the state of a client that gave its network to another (see {@link NetworkPool}) until
     * it works again; one file, replaced each time.
     */
    void park(ModelState state) {
        write(parkedFile(), state);
    }

    /** Saves the parked state as {@code round}'s, as {@link #save} would (the file is copied as it is). */
    void saveParked(String experiment, int round) {
        Path experimentFolder = experimentFolder(experiment);
        Path file = experimentFolder.resolve(fileName(round));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(experimentFolder);
            Files.copy(parkedFile(), temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot copy the parked state " + parkedFile() + " to " + file + ": "
                    + e.getMessage(), e);
        }
        deleteBefore(experimentFolder, round - 1);
    }

    ModelState unpark() {
        return read(parkedFile());
    }

    void deleteParked() {
        try {
            Files.deleteIfExists(parkedFile());
        } catch (IOException e) {
            throw new FedklprException("cannot delete the parked state " + parkedFile() + ": " + e.getMessage(), e);
        }
    }

    private Path parkedFile() {
        return folder.resolve(PARKED_FILE);
    }

    /**
     * Writes {@code state} as a file of {@link #PARTS_MAGIC}, {@code u32 count}, then per tensor
     * {@code u32 length} and the codec's payload of that one tensor (big-endian lengths, each payload
     * with its own checksum). A tensor at a time, so that a site never holds its whole state encoded
     * at once: a ResNet-50 client's pruning state is a few hundred MB, and one array that size per
     * park or read made the collector grow the heap (docs/BENCHMARKS.md, eighth session).
     */
    private void write(Path file, ModelState state) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(temporary), 1 << 16))) {
                out.write(PARTS_MAGIC);
                out.writeInt(state.tensors().size());
                for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
                    byte[] part = codec.encode(ModelState.of(Map.of(entry.getKey(), entry.getValue())), null);
                    out.writeInt(part.length);
                    out.write(part);
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot write the site's state file " + file + ": " + e.getMessage(), e);
        }
    }

    private ModelState read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(PARTS_MAGIC.length);
            if (!Arrays.equals(magic, PARTS_MAGIC)) {
                // Written by an earlier version: the whole state as one payload.
                byte[] rest = in.readAllBytes();
                byte[] whole = Arrays.copyOf(magic, magic.length + rest.length);
                System.arraycopy(rest, 0, whole, magic.length, rest.length);
                return codec.decode(whole).state();
            }
            long size = Files.size(file);
            int count = in.readInt();
            if (count < 0) {
                throw new IllegalArgumentException("it claims " + count + " tensors");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (int t = 0; t < count; t++) {
                int length = in.readInt();
                if (length < 0 || length > size) {
                    throw new IllegalArgumentException("tensor " + (t + 1) + " of " + count + " claims " + length
                            + " bytes in a file of " + size);
                }
                byte[] part = in.readNBytes(length);
                if (part.length < length) {
                    throw new IllegalArgumentException("it ends inside tensor " + (t + 1) + " of " + count);
                }
                for (Map.Entry<String, Tensor> entry : codec.decode(part).state().tensors().entrySet()) {
                    if (tensors.put(entry.getKey(), entry.getValue()) != null) {
                        throw new IllegalArgumentException("tensor '" + entry.getKey() + "' appears twice");
                    }
                }
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("bytes follow its last tensor");
            }
            return ModelState.of(tensors);
        } catch (EOFException e) {
            throw new FedklprException("the site's state file " + file + " cannot be read (it ends early)", e);
        } catch (IOException | RuntimeException e) {
            throw new FedklprException("the site's state file " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The state saved for {@code round}, or for the latest round before it that this site saved: a
     * site that was away for the last rounds saved none of them, and its state did not change.
     */
    ModelState load(String experiment, int round) {
        Path experimentFolder = experimentFolder(experiment);
        int latest = -1;
        if (Files.isDirectory(experimentFolder)) {
            try (Stream<Path> files = Files.list(experimentFolder)) {
                for (Path file : files.toList()) {
                    Matcher matcher = ROUND_FILE.matcher(file.getFileName().toString());
                    if (matcher.matches() && Integer.parseInt(matcher.group(1)) <= round) {
                        latest = Math.max(latest, Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new FedklprException("cannot list the site's state folder " + experimentFolder + ": "
                        + e.getMessage(), e);
            }
        }
        Path file = experimentFolder.resolve(fileName(latest < 0 ? round : latest));
        if (latest < 0) {
            throw new FedklprException("the site's state file " + file + " does not exist: this site's state folder "
                    + folder + " holds no round up to " + round + " of experiment " + experiment
                    + " (was the site started with another --state?)");
        }
        return read(file);
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
