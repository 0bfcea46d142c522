package org.fedklpr.eval;

/** Checks of feature rows, with messages that name the set and row. */
final class FeatureChecks {
    private FeatureChecks() {
    }

    static void check(float[] row, int dimension, String set, int index) {
        if (row.length != dimension) {
            throw new IllegalArgumentException(set + " feature " + index + " has " + row.length
                    + " dimensions, expected " + dimension);
        }
        for (float value : row) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(set + " feature " + index + " is not finite (" + value + ")");
            }
        }
    }
}
