package org.fedklpr.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.fedklpr.api.model.Tensor;

/**
 * Writes tensors as a NumPy {@code .npz} archive, as {@code numpy.savez} does: a zip of one stored
 * (uncompressed) {@code NAME.npy} per tensor, format version 1.0, little-endian float32 in C order.
 * Written here rather than through a library because the format is two pages of the NumPy docs and
 * no well-kept Java library writes it without pulling in an n-dimensional array package.
 */
public final class NpzWriter {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** Header length so that the data starts on a 64-byte boundary, as NumPy writes it. */
    private static final int ALIGNMENT = 64;

    private NpzWriter() {
    }

    public static void write(Map<String, Tensor> tensors, OutputStream out) throws IOException {
        write(tensors, Map.of(), out);
    }

    /**
     * @param others entries other than arrays, by entry name (an exported model's manifest); NumPy
     *        lists them beside the arrays and hands them out as bytes
     */
    public static void write(Map<String, Tensor> tensors, Map<String, byte[]> others, OutputStream out)
            throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
                stored(zip, entry.getKey() + ".npy", npy(entry.getValue()));
            }
            for (Map.Entry<String, byte[]> entry : others.entrySet()) {
                stored(zip, entry.getKey(), entry.getValue());
            }
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry file = new ZipEntry(name);
        file.setMethod(ZipEntry.STORED);
        file.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        file.setCrc(crc.getValue());
        zip.putNextEntry(file);
        zip.write(content);
        zip.closeEntry();
    }

    /** One tensor as the bytes of a {@code .npy} file. */
    static byte[] npy(Tensor tensor) {
        StringBuilder shape = new StringBuilder("(");
        for (int dimension : tensor.shape()) {
            shape.append(dimension).append(", ");
        }
        if (tensor.shape().length == 1) {
            shape.setLength(shape.length() - 1); // (n,) as Python writes a one-element tuple
        } else if (tensor.shape().length > 1) {
            shape.setLength(shape.length() - 2);
        }
        shape.append(')');
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(shape).append(", }");
        int unpadded = MAGIC.length + 2 + header.length() + 1;
        header.append(" ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 2 + headerBytes.length + 4 * tensor.values().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).putShort((short) headerBytes.length).put(headerBytes);
        buffer.asFloatBuffer().put(tensor.values());
        return buffer.array();
    }
}
