package org.fedklpr.wire;

import org.fedklpr.api.FedklprException;

/**
 * IEEE 754 binary16 conversions (Java 17 has none; {@code Float.floatToFloat16} came in Java 20).
 * Float to half rounds to nearest, ties to even, through the subnormals; a finite value too large for
 * half precision (|v| at or above 65,520, which would round to infinity) is refused rather than sent
 * as infinity.
 */
final class HalfFloats {
    /** The largest finite half, 65,504. */
    static final float MAX = 65504f;

    private HalfFloats() {
    }

    static short toHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7FFFFFFF;
        if (magnitude >= 0x47800000) {
            // 65,536 and above, infinities and NaN (the callers refuse NaN and infinities before this)
            throw tooLarge(value);
        }
        if (magnitude < 0x38800000) {
            // Below the smallest normal half (2^-14): a subnormal half, counted in units of 2^-24.
            int exponent = magnitude >>> 23;
            if (exponent < 102) {
                return (short) sign; // below 2^-25: rounds to zero
            }
            int mantissa = (magnitude & 0x7FFFFF) | 0x800000;
            int shift = 126 - exponent;
            return (short) (sign | roundedShift(mantissa, shift));
        }
        int half = (((magnitude >>> 23) - 112) << 10) | ((magnitude & 0x7FFFFF) >>> 13);
        int rest = magnitude & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // a carry into the exponent is the right result
        }
        if (half >= 0x7C00) {
            throw tooLarge(value);
        }
        return (short) (sign | half);
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundedShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
            kept++;
        }
        return kept;
    }

    /** The exact float of a finite half; infinities and NaN are refused (no codec here writes them). */
    static float toFloat(short half, String tensor, int index) {
        int bits = half & 0xFFFF;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        int sign = (bits & 0x8000) << 16;
        if (exponent == 0x1F) {
            throw new IllegalArgumentException("tensor '" + tensor + "' element " + index + " is "
                    + (mantissa == 0 ? "infinite" : "NaN"));
        }
        if (exponent == 0) {
            float magnitude = Math.scalb((float) mantissa, -24);
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static FedklprException tooLarge(float value) {
        return new FedklprException("the value " + value + " does not fit half precision (largest " + MAX
                + "): use the sparse or int8 codec for this model");
    }
}
