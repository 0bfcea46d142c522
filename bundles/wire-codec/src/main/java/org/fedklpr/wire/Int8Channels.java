package org.fedklpr.wire;

/** The arithmetic of {@link ValueFormat#INT8_PER_CHANNEL}, apart so that it is tested by itself. */
final class Int8Channels {
    /** Levels on each side of zero: -127..127 (-128 is never written, so the range is symmetric). */
    static final int LEVELS = 127;

    private Int8Channels() {
    }

    /** Whether a tensor of this shape travels as int8: rank 2 or more, one channel per slice of dimension 0. */
    static boolean quantised(int[] shape) {
        return shape.length >= 2;
    }

    /** {@code rint(value / scale)} clamped to the levels; 0 when the channel is all zeros. */
    static byte quantise(float value, float scale) {
        if (scale == 0f) {
            return 0;
        }
        double level = Math.rint(value / scale);
        return (byte) Math.max(-LEVELS, Math.min(LEVELS, level));
    }
}
