package org.fedklpr.api.data;

import java.nio.file.Path;

/** A file a loader or decoder left out, and why (shown to the user as is). */
public record SkippedFile(Path path, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
