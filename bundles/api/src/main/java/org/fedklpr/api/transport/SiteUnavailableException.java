package org.fedklpr.api.transport;

import org.fedklpr.api.FedklprException;

/**
 * A call to a site that did not come back: the site went away or could not be reached
 * ({@link #LOST}), or did not answer before the call's deadline ({@link #LATE}). The site itself
 * may be sound; the experiment goes on without it for this round, and it takes part again once it
 * is back.
 */
public class SiteUnavailableException extends FedklprException {
    private static final long serialVersionUID = 1L;
    public static final String LOST = "lost";
    public static final String LATE = "late";

    private final String status;

    /** @param status {@link #LOST} or {@link #LATE}: the word a metrics row's status starts with */
    public SiteUnavailableException(String status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public SiteUnavailableException(String status, String message) {
        this(status, message, null);
    }

    public String status() {
        return status;
    }
}
