package org.fedklpr.engine.djl;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.fedklpr.api.FedklprException;

import ai.djl.engine.Engine;

/**
 * Starts DJL's MXNet engine offline, once per engine component.
 *
 * <p>DJL discovers engines with {@link java.util.ServiceLoader} on the thread context class loader
 * and reads its native library from class-path resources. Inside OSGi neither the caller's thread
 * nor this bundle sees the embedded jars; the loader of {@link Engine} (the djl-mxnet library
 * bundle) does, so it becomes the context loader around every call that may touch discovery.
 * A failed first start sticks until that bundle is refreshed, which is why offline mode is set
 * before anything else.
 */
final class DjlRuntime {
    static final String ENGINE_NAME = "MXNet";

    private final Engine engine;

    private DjlRuntime(Engine engine) {
        this.engine = engine;
    }

    /**
     * @param cacheDirectory where DJL extracts the native library (blank: DJL_CACHE_DIR or DJL's
     *        default)
     */
    static DjlRuntime start(String cacheDirectory) {
        // Offline is not a preference: nothing may be downloaded, so it is forced, not defaulted.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (cacheDirectory != null && !cacheDirectory.isBlank()) {
            System.setProperty("DJL_CACHE_DIR", Path.of(cacheDirectory).toAbsolutePath().toString());
        }
        try {
            return new DjlRuntime(withDjlClassLoader(() -> Engine.getEngine(ENGINE_NAME)));
        } catch (RuntimeException | LinkageError e) {
            throw new FedklprException("the MXNet engine did not start (offline, natives from the "
                    + "mxnet-native-mkl jar, cache " + System.getProperty("DJL_CACHE_DIR", "default") + "): " + e, e);
        }
    }

    Engine engine() {
        return engine;
    }

    /** Runs {@code action} with the DJL library's class loader as the context class loader. */
    static <T> T withDjlClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Engine.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
