package org.fedklpr.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fedklpr.api.objective.ProxyMemory;
import org.fedklpr.api.pseudolabel.PseudoLabels;
import org.junit.jupiter.api.Test;

class PseudoLabellingTest {

    @Test
    void theProbeSignalCountsClusteredImagesWhoseNearestProxyIsOfTheirPseudoIdentity() {
        // Four training images in 2-d: two of pseudo-identity 0 (camera 1), one of identity 1
        // (camera 2), one left out. Proxies: 0 = (c1, id0), 1 = (c2, id1).
        float[][] embeddings = {{1, 0}, {1, 0}, {0, 1}, {0.7f, 0.7f}};
        PseudoLabels labels = new PseudoLabels(new int[] {0, 0, 1, PseudoLabels.UNCLUSTERED}, 2,
                new int[] {0, 0, 1, PseudoLabels.UNCLUSTERED}, new int[] {0, 1}, new int[] {1, 2});
        ProxyMemory memory = ProxyMemory.ofCentroids(embeddings, labels);
        // The probe is images 0, 2 and 3; after training image 2 has moved next to proxy 0.
        float[][] trained = {{1, 0}, {0.9f, 0.1f}, {0, 1}};
        int[] probe = {0, 2, 3};
        // Image 0 right, image 2 wrong, image 3 not counted: 1 of 2.
        assertEquals(0.5, PseudoLabelling.probeAccuracy(labels, memory, probe, trained), 1e-12);
        PseudoLabels none = new PseudoLabels(new int[] {-1, -1, -1, -1}, 0, new int[] {-1, -1, -1, -1}, new int[0],
                new int[0]);
        assertEquals(0, PseudoLabelling.probeAccuracy(none, ProxyMemory.ofCentroids(embeddings, none), probe,
                trained));
    }
}
