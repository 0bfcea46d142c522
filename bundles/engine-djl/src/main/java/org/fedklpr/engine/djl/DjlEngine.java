package org.fedklpr.engine.djl;

import java.util.List;

import org.fedklpr.api.Names;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.federation.NetworkSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DJL + MXNet learning engine, registered as {@code fedklpr.name=djl}; it also offers MXNet's
 * BLAS to the evaluator ({@link DotProducts}).
 */
@Component(service = {LearningEngine.class, DotProducts.class}, configurationPid = DjlEngine.PID, property = Names.SERVICE_NAME + "=" + DjlEngine.NAME)
@Designate(ocd = DjlEngine.Config.class)
public final class DjlEngine implements LearningEngine, DotProducts {
    static final String PID = "org.fedklpr.engine.djl";
    static final String NAME = "djl";

    @ObjectClassDefinition(name = "FedKLPR DJL engine", description = "DJL with the MXNet engine, offline")
    @interface Config {
        @AttributeDefinition(description = "Folder DJL extracts the MXNet native library into; blank: "
                + "the DJL_CACHE_DIR setting, else DJL's default (~/.djl.ai)")
        String cacheDirectory() default "";

        @AttributeDefinition(description = "Threads that decode images", min = "1")
        int decodeThreads() default 2;

        @AttributeDefinition(description = "Megabytes of decoded images one client may keep in memory; -1: half"
                + " of the Java heap still free when it decodes. Images beyond it are decoded again on each use",
                min = "-1")
        long decodedCacheMegabytes() default -1;
    }

    private final DjlRuntime runtime;
    private final ImageDecoder decoder;
    private final MxnetDotProducts dotProducts;

    @Activate
    public DjlEngine(Config config) {
        this(config.cacheDirectory(), config.decodeThreads(), config.decodedCacheMegabytes());
    }

    DjlEngine(String cacheDirectory, int decodeThreads) {
        this(cacheDirectory, decodeThreads, -1);
    }

    DjlEngine(String cacheDirectory, int decodeThreads, long decodedCacheMegabytes) {
        this.runtime = DjlRuntime.start(cacheDirectory);
        this.dotProducts = new MxnetDotProducts(runtime.engine());
        this.decoder = new ImageDecoder(decodeThreads, decodedCacheMegabytes >= 0
                ? () -> decodedCacheMegabytes * 1024 * 1024 : DjlEngine::halfOfFreeHeap);
    }

    private static long halfOfFreeHeap() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory())) / 2;
    }

    @Override
    public ReidNetwork create(NetworkSpec spec) {
        NetworkSpec resolved = Architectures.withUsualInputSize(spec);
        return DjlRuntime.withDjlClassLoader(() -> new DjlReidNetwork(runtime.engine(), resolved));
    }

    @Override
    public ImageSet decode(List<ReidImage> images, int height, int width) {
        return decoder.decode(images, height, width);
    }

    @Override
    public Loaded load(float[][] rows) {
        return dotProducts.load(rows);
    }

    @Override
    public List<String> architectures() {
        return Architectures.names();
    }

    @Deactivate
    void deactivate() {
        decoder.close();
    }
}
