package org.fedklpr.shell.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of a Linux process, read from its {@code /proc/PID/status}. */
final class ProcStatus {
    /** The kernel's high-water mark of resident memory (resettable through /proc/PID/clear_refs). */
    static final String PEAK = "VmHWM";
    static final String RESIDENT = "VmRSS";

    private ProcStatus() {
    }

    /**
     * A field of a {@code /proc/PID/status} file in kB; 0 when the process is gone, the system is
     * not Linux or the field is not there.
     */
    static long kilobytes(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process ended between two looks: the caller's last reading stands
        }
        return 0;
    }
}
