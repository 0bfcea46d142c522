package org.fedklpr.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.fedklpr.api.model.Tensor;
import org.junit.jupiter.api.Test;

class NpzWriterTest {
    @Test
    void everyTensorBecomesAnAlignedLittleEndianFloat32NpyEntry() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("backbone.conv1.weight", new Tensor(new int[] {2, 1, 1, 2}, new float[] {1, -2, 0.5f, 3}));
        tensors.put("backbone.bn1.gamma", new Tensor(new int[] {3}, new float[] {1, 1, 0.25f}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpzWriter.write(tensors, out);

        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.add(entry.getName());
                assertEquals(ZipEntry.STORED, entry.getMethod(), "numpy.savez stores, it does not deflate");
                byte[] npy = zip.readAllBytes();
                assertEquals((byte) 0x93, npy[0]);
                assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
                assertEquals(1, npy[6], "format version 1.0");
                int headerLength = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
                assertEquals(0, (10 + headerLength) % 64, "the data starts on a 64-byte boundary");
                String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
                assertTrue(header.endsWith("\n"), header);
                Tensor expected = tensors.get(entry.getName().replace(".npy", ""));
                String shape = expected.shape().length == 1 ? "(3,)" : "(2, 1, 1, 2)";
                assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"),
                        header);
                float[] values = new float[expected.values().length];
                ByteBuffer.wrap(npy, 10 + headerLength, 4 * values.length).order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer().get(values);
                assertArrayEquals(expected.values(), values);
            }
        }
        assertEquals(List.of("backbone.conv1.weight.npy", "backbone.bn1.gamma.npy"), names);
    }
}
