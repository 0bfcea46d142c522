package org.fedklpr.engine.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class MallocTrimTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 4096;

    @Test
    void freedMemoryBetweenLiveBlocksLeavesTheProcessAfterATrim() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc");
        assertTrue(MallocTrim.available(), "glibc's malloc_trim was not found on this Linux machine");
        // 256 MB in chunks below glibc's mmap threshold, all touched; every other chunk is freed, so
        // the free ones lie between live ones and glibc cannot shrink its heap from the top.
        long[] chunks = new long[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = Native.malloc(CHUNK);
            new Pointer(chunks[i]).setMemory(0, CHUNK, (byte) 1);
        }
        try {
            for (int i = 0; i < CHUNKS; i += 2) {
                Native.free(chunks[i]);
                chunks[i] = 0;
            }
            long before = residentKiB();
            MallocTrim.releaseFreedMemory();
            long after = residentKiB();
            // 128 MB were freed; allow the JVM's own movements a quarter of that.
            assertTrue(before - after > 96 * 1024,
                    "resident memory went from " + before + " KiB to " + after + " KiB after the trim");
        } finally {
            for (long chunk : chunks) {
                if (chunk != 0) {
                    Native.free(chunk);
                }
            }
        }
    }

    /** This process's resident memory (Linux). */
    static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }
}
