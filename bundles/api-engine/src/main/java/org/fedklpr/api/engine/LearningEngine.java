package org.fedklpr.api.engine;

import java.util.List;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.federation.NetworkSpec;

/** A deep-learning engine that builds re-ID networks ({@code fedklpr.name} = the engine's name). */
public interface LearningEngine {

    /** Builds a network with freshly initialised weights; equal specs give equal weights. */
    ReidNetwork create(NetworkSpec spec);

    /**
     * Decodes and resizes images for networks with this input size. A file that cannot be decoded
     * is skipped and listed in {@link ImageSet#skipped()}; the others are kept in order.
     */
    ImageSet decode(List<ReidImage> images, int height, int width);

    /** The backbone architectures {@link #create} accepts. */
    List<String> architectures();
}
