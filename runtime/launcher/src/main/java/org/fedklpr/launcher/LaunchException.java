package org.fedklpr.launcher;

/** A problem the user can fix (a file, an argument); printed as one line, without a stack trace. */
public final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
