package org.fedklpr.data.synthetic;

import java.util.Arrays;

/**
 * The size of a synthetic federation. Per-client arrays are cycled when shorter than the number of
 * clients, so {@code {12}} gives every client 12 identities.
 *
 * @param trainIdentities per client: people in {@code bounding_box_train}
 * @param testIdentities per client: other people, in {@code query} and {@code bounding_box_test}
 * @param cameras per client: number of cameras (at least 2, so queries have cross-camera matches)
 * @param trainImagesPerCamera per client: images of a training person in each camera that sees them
 * @param galleryImagesPerCamera gallery images of a test person in each camera that sees them
 *        (plus one query image per camera)
 * @param distractors per client: gallery images of people who are never queried (id 0000)
 * @param junk per client: gallery images that show no usable person (id -1)
 */
record WorldSpec(int clients, int[] trainIdentities, int[] testIdentities, int[] cameras, int[] trainImagesPerCamera,
        int galleryImagesPerCamera, int distractors, int junk, int width, int height) {

    WorldSpec {
        if (clients <= 0) {
            throw new IllegalArgumentException("clients must be positive, got " + clients);
        }
        requirePositive("trainIdentities", trainIdentities, 2);
        requirePositive("testIdentities", testIdentities, 1);
        requirePositive("cameras", cameras, 2);
        requirePositive("trainImagesPerCamera", trainImagesPerCamera, 1);
        if (galleryImagesPerCamera <= 0) {
            throw new IllegalArgumentException("galleryImagesPerCamera must be positive, got " + galleryImagesPerCamera);
        }
        if (width < 16 || height < 32) {
            throw new IllegalArgumentException("images must be at least 16x32, got " + width + "x" + height);
        }
    }

    private static void requirePositive(String name, int[] values, int minimum) {
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " needs at least one value");
        }
        for (int value : values) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be at least " + minimum + ", got "
                        + Arrays.toString(values));
            }
        }
    }

    int trainIdentities(int client) {
        return trainIdentities[client % trainIdentities.length];
    }

    int testIdentities(int client) {
        return testIdentities[client % testIdentities.length];
    }

    int cameras(int client) {
        return cameras[client % cameras.length];
    }

    int trainImagesPerCamera(int client) {
        return trainImagesPerCamera[client % trainImagesPerCamera.length];
    }

    /** A stable text form, recorded next to the data so that a different spec is never mistaken for it. */
    String describe(long seed) {
        return "seed=" + seed + " clients=" + clients + " trainIdentities=" + Arrays.toString(trainIdentities)
                + " testIdentities=" + Arrays.toString(testIdentities) + " cameras=" + Arrays.toString(cameras)
                + " trainImagesPerCamera=" + Arrays.toString(trainImagesPerCamera) + " galleryImagesPerCamera="
                + galleryImagesPerCamera + " distractors=" + distractors + " junk=" + junk + " size=" + width + "x"
                + height;
    }
}
