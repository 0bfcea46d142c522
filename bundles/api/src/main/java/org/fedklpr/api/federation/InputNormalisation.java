package org.fedklpr.api.federation;

/**
 * How every network of the platform expects its pixels: RGB, each value scaled to [0, 1], then
 * {@code (x - mean) / std} per channel with ImageNet's statistics, which pretrained backbones assume.
 * Part of the model's contract, so an exported model states it and another system can feed it.
 */
public final class InputNormalisation {
    private InputNormalisation() {
    }

    /** Per channel, red, green, blue. A new array every call. */
    public static float[] mean() {
        return new float[] {0.485f, 0.456f, 0.406f};
    }

    /** Per channel, red, green, blue. A new array every call. */
    public static float[] std() {
        return new float[] {0.229f, 0.224f, 0.225f};
    }
}
