package org.fedklpr.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.Tensor;

/**
 * Reads a NumPy {@code .npz} archive ({@code numpy.savez} or {@code savez_compressed}): one
 * {@code .npy} array per entry. Floating-point arrays (little-endian float32 or float64, C order)
 * come back as float tensors; arrays of other types (for example PyTorch's integer
 * {@code num_batches_tracked}) are listed in {@link Contents#ignored()}; entries that are not
 * {@code .npy} files (an exported model's manifest) come back as bytes. The format is what a
 * PyTorch user can write from any state dict in one line, see docs/MODELS.md.
 */
public final class NpzReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /**
     * What an archive holds.
     *
     * @param arrays the float arrays by name (entry name without {@code .npy}), in the archive's order
     * @param ignored the names of arrays of other types
     * @param others the entries that are not {@code .npy} files, by entry name
     */
    public record Contents(Map<String, Tensor> arrays, List<String> ignored, Map<String, byte[]> others) {
    }

    private NpzReader() {
    }

    /**
     * @param what what the file is to the user ("pretrained weights", "exported model"), for messages
     * @throws FedklprException naming the file and entry when it is missing, not a zip of arrays, or
     *         holds no float array
     */
    public static Contents read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new FedklprException(what + " file " + file + " does not exist");
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        Map<String, byte[]> others = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.getName().endsWith(".npy")) {
                    others.put(entry.getName(), zip.readAllBytes());
                    continue;
                }
                String name = entry.getName().substring(0, entry.getName().length() - 4);
                Tensor tensor = readArray(zip, file, entry.getName());
                if (tensor == null) {
                    ignored.add(name);
                } else {
                    arrays.put(name, tensor);
                }
            }
        } catch (IOException e) {
            throw new FedklprException("cannot read " + what + " " + file + " as a NumPy .npz archive: "
                    + e.getMessage(), e);
        }
        if (arrays.isEmpty()) {
            throw new FedklprException(file + " holds no float arrays; expected a NumPy .npz archive of weights"
                    + " (numpy.savez)");
        }
        return new Contents(arrays, ignored, others);
    }

    /** One {@code .npy} array, or null when it holds something other than floats. */
    private static Tensor readArray(InputStream in, Path file, String entry) throws IOException {
        byte[] magic = in.readNBytes(8);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic.length < 8 || magic[i] != MAGIC[i]) {
                throw new FedklprException(file + ": entry " + entry + " is not a .npy array");
            }
        }
        int major = magic[6];
        byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
        ByteBuffer length = ByteBuffer.wrap(Arrays.copyOf(lengthBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
        String header = new String(in.readNBytes(length.getInt()), StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, entry, "descr");
        if (group(FORTRAN, header, file, entry, "fortran_order").equals("True")) {
            throw new FedklprException(file + ": array " + entry + " is in Fortran order; save it C-contiguous");
        }
        String shapeText = group(SHAPE, header, file, entry, "shape").replace(" ", "");
        int[] shape = shapeText.isEmpty() ? new int[0]
                : Arrays.stream(shapeText.split(",")).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt)
                        .toArray();
        int count = Math.toIntExact(Tensor.elementCount(shape));
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> 0;
        };
        if (width == 0) {
            return null; // the zip stream skips the rest of the entry by itself
        }
        byte[] data = in.readNBytes(count * width);
        if (data.length != count * width) {
            throw new FedklprException(file + ": array " + entry + " is truncated (" + data.length + " of "
                    + count * width + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        if (width == 4) {
            buffer.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < count; i++) {
                values[i] = (float) buffer.getDouble();
            }
        }
        return new Tensor(shape, values);
    }

    private static String group(Pattern pattern, String header, Path file, String entry, String key) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new FedklprException(file + ": array " + entry + " has no '" + key + "' in its .npy header");
        }
        return matcher.group(1);
    }
}
