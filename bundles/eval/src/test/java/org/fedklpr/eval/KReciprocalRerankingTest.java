package org.fedklpr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidMetrics;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Against the published re-ranking function re-typed in numpy (float64, stable argsort): 10 queries,
 * 40 gallery entries, 6-d, k1 = 6, k2 = 3, lambda = 0.3; reranking-reference.json holds its input
 * and its final query x gallery distances.
 */
class KReciprocalRerankingTest {

    @Test
    void matchesTheReferenceImplementation() throws IOException {
        JsonObject reference;
        try (InputStream in = getClass().getResourceAsStream("/reranking-reference.json")) {
            reference = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        FeatureSet query = set(reference.getAsJsonObject("query"));
        FeatureSet gallery = set(reference.getAsJsonObject("gallery"));
        KReciprocalReranking reranking = new KReciprocalReranking(6, 3, 0.3);
        float[] distances = reranking.distances(query, gallery);
        JsonArray expected = reference.getAsJsonArray("final_distances");
        for (int q = 0; q < query.size(); q++) {
            JsonArray row = expected.get(q).getAsJsonArray();
            for (int g = 0; g < gallery.size(); g++) {
                assertEquals(row.get(g).getAsDouble(), distances[q * gallery.size() + g], 2e-5, "query " + q
                        + ", gallery " + g);
            }
        }
        ReidMetrics metrics = new RankingProtocol(1, 4, reranking, null).evaluate(query, gallery);
        assertEquals(reference.get("rank1").getAsDouble(), metrics.rank1(), 1e-9);
        assertEquals(reference.get("mAP").getAsDouble(), metrics.mAP(), 1e-9);
        ReidMetrics plain = new RankingProtocol(1, 4).evaluate(query, gallery);
        assertTrue(plain.mAP() != metrics.mAP(), "re-ranking changes the ranking here");
    }

    @Test
    void badSettingsAndOversizedSetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KReciprocalReranking(0, 6, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new KReciprocalReranking(20, 6, 1.5));
        int size = KReciprocalReranking.MAX_FEATURES;
        FeatureSet big = new FeatureSet(new float[size][1], new int[size], new int[size]);
        FeatureSet one = new FeatureSet(new float[][] {{0}}, new int[] {1}, new int[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KReciprocalReranking(20, 6, 0.3).distances(one, big));
        assertTrue(e.getMessage().contains("distance matrix"), e.getMessage());
    }

    private static FeatureSet set(JsonObject json) {
        JsonArray rows = json.getAsJsonArray("features");
        float[][] features = new float[rows.size()][];
        for (int i = 0; i < features.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            features[i] = new float[row.size()];
            for (int d = 0; d < row.size(); d++) {
                features[i][d] = row.get(d).getAsFloat();
            }
        }
        int[] persons = json.getAsJsonArray("persons").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
        int[] cameras = json.getAsJsonArray("cameras").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
        return new FeatureSet(features, persons, cameras);
    }
}
