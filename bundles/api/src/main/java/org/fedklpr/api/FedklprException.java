package org.fedklpr.api;

/**
 * An error caused by input the user can fix (a file, a configuration value, a client's update).
 * Its message names the thing and what was expected; front ends print it without a stack trace.
 */
public class FedklprException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FedklprException(String message) {
        super(message);
    }

    public FedklprException(String message, Throwable cause) {
        super(message, cause);
    }
}
