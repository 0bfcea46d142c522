package org.fedklpr.pseudolabels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.fedklpr.api.pseudolabel.PseudoLabels;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Against FedCAPR's clustering re-typed in numpy and scikit-learn's DBSCAN
 * (runtime/reference/pseudo_labels_reference.py): 106 embeddings of 16 values, eight groups and ten
 * strays; the same neighbourhood within eps for every image, the same labels, numbered alike.
 */
class PseudoLabelsReferenceTest {

    @Test
    void theNeighbourhoodsAndLabelsOfTheReference() throws IOException {
        JsonObject reference;
        try (InputStream in = getClass().getResourceAsStream("/pseudo-labels-reference.json")) {
            reference = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        JsonArray rows = reference.getAsJsonArray("embeddings");
        float[][] embeddings = new float[rows.size()][];
        for (int i = 0; i < embeddings.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            embeddings[i] = new float[row.size()];
            for (int d = 0; d < row.size(); d++) {
                embeddings[i][d] = row.get(d).getAsFloat();
            }
        }
        int[] cameras = ints(reference.getAsJsonArray("cameras"));
        int k1 = reference.get("k1").getAsInt();
        int k2 = reference.get("k2").getAsInt();
        double eps = reference.get("eps").getAsDouble();
        int minSamples = reference.get("min_samples").getAsInt();

        int[][] neighbourhoods = JaccardNeighbourhoods.of(embeddings, k1, k2, eps, null);
        assertArrayEquals(ints(reference.getAsJsonArray("neighbourhood_sizes")),
                Arrays.stream(neighbourhoods).mapToInt(n -> n.length).toArray());
        PseudoLabels labels = KReciprocalDbscanLabeller.label(embeddings, cameras, eps, minSamples, k1, k2);
        int[] expected = ints(reference.getAsJsonArray("labels"));
        assertArrayEquals(expected, labels.clusters());
        assertTrue(labels.clusterCount() > 1 && labels.kept() < embeddings.length, "clusters and strays both occur");
    }

    private static int[] ints(JsonArray array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsInt();
        }
        return values;
    }
}
