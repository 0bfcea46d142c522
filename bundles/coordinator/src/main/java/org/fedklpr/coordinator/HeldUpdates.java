package org.fedklpr.coordinator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec;

/**
 * A round's accepted updates, their values in files of the run folder until the aggregator has read
 * them: each update is written as it arrives and handed on {@linkplain ModelState#readOnDemand read on
 * demand}, so the coordinator holds no client's whole model while the others train, and an aggregator
 * that goes a tensor at a time (as the platform's do) holds one tensor per client. Without this, a
 * round held every client's model at once: 100 MB each for ResNet-50, growing with the number of
 * clients. Each tensor is written as a payload of its own with the checkpoints' codec (dense: every bit,
 * -0 included), so what is read back is exactly what arrived.
 */
final class HeldUpdates implements AutoCloseable {
    private final Path folder;
    private final WireCodec codec;
    private final List<FileChannel> channels = new ArrayList<>();
    private int held;

    /** Starts an empty folder (what a stopped run left there is deleted). */
    HeldUpdates(Path folder, WireCodec codec) {
        this.folder = folder;
        this.codec = codec;
        deleteFolder();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new FedklprException("cannot create " + folder + " for the round's updates: " + e.getMessage(), e);
        }
    }

    /**
     * The update with its values written to a file and read from it on demand.
     *
     * @throws UncheckedIOException when the file cannot be written: the coordinator's disk, not the
     *         update, is at fault, and the run stops
     */
    synchronized ClientUpdate hold(ClientUpdate update) {
        Path file = folder.resolve(String.format(Locale.ROOT, "update-%04d.fklw", ++held));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, long[]> places = new LinkedHashMap<>();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            long offset = 0;
            for (Map.Entry<String, Tensor> entry : update.state().tensors().entrySet()) {
                byte[] part = codec.encode(ModelState.of(Map.of(entry.getKey(), entry.getValue())), null);
                out.write(part);
                shapes.put(entry.getKey(), entry.getValue().shape());
                places.put(entry.getKey(), new long[] {offset, part.length});
                offset += part.length;
            }
        } catch (IOException e) {
            // Not the site's fault: the run fails (a FedklprException here would reject the update).
            throw new UncheckedIOException("cannot write client " + update.clientId() + "'s update to " + file
                    + ": " + e.getMessage(), e);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ", client " + update.clientId() + "'s update: "
                    + e.getMessage(), e);
        }
        channels.add(channel);
        return update.with(ModelState.readOnDemand(shapes, name -> read(channel, file, name, places.get(name))),
                update.mask());
    }

    private Tensor read(FileChannel channel, Path file, String name, long[] place) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(place[1]));
        try {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, place[0] + bytes.position()) < 0) {
                    throw new IOException("it ends inside tensor '" + name + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor '" + name + "' from " + file + ": " + e.getMessage(),
                    e);
        }
        return codec.decode(bytes.array()).state().tensor(name);
    }

    /** Closes and deletes the files: the updates read from them must not be used after. */
    @Override
    public synchronized void close() {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // Deleted next; a channel that fails to close holds nothing of ours.
            }
        }
        channels.clear();
        deleteFolder();
    }

    private void deleteFolder() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new FedklprException("cannot delete the round's updates in " + folder + ": " + e.getMessage(), e);
        }
    }
}
