package org.fedklpr.engine.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Gives back to the operating system the memory that glibc's malloc keeps after it was freed, once
 * at the end of a round.
 *
 * <p>The launcher raises {@code MALLOC_TRIM_THRESHOLD_} so that a training step does not return its
 * buffers and fault them in again at the next step, which halves MXNet's throughput. The price is
 * that freed memory stays resident and fragments: over 200 demo rounds the process grew in steps,
 * 65 MB in all, with nothing alive behind it. One {@code malloc_trim(0)} after a round, when every
 * step's buffers are free, returns those pages without touching the steps. Where the C library is
 * not glibc there is nothing to call and nothing happens.
 */
final class MallocTrim {
    private static final Function MALLOC_TRIM = lookUp();

    private MallocTrim() {
    }

    /** Whether this process's C library can trim; false off Linux or on another C library. */
    static boolean available() {
        return MALLOC_TRIM != null;
    }

    /** Returns the free pages of every malloc arena to the operating system. */
    static void releaseFreedMemory() {
        if (MALLOC_TRIM != null) {
            MALLOC_TRIM.invokeInt(new Object[] {0L});
        }
    }

    private static Function lookUp() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError notGlibc) {
            return null;
        }
    }
}
