package org.fedklpr.wire;

import java.nio.ByteBuffer;
import java.util.BitSet;

/** Element masks as little-endian bitmaps: bit {@code i % 8} of byte {@code i / 8} is element {@code i}. */
final class Bitmaps {
    private Bitmaps() {
    }

    static int size(int elements) {
        return (elements + 7) / 8;
    }

    static byte[] toBytes(BitSet bits, int elements) {
        byte[] bytes = new byte[size(elements)];
        for (int i = bits.nextSetBit(0); i >= 0 && i < elements; i = bits.nextSetBit(i + 1)) {
            bytes[i >> 3] |= (byte) (1 << (i & 7));
        }
        return bytes;
    }

    static BitSet read(ByteBuffer body, int elements) {
        byte[] bytes = new byte[size(elements)];
        body.get(bytes);
        BitSet bits = BitSet.valueOf(bytes);
        if (bits.length() > elements) {
            throw new IllegalArgumentException("mask marks element " + (bits.length() - 1) + " of a tensor of "
                    + elements);
        }
        return bits;
    }
}
