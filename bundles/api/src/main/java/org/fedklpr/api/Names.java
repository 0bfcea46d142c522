package org.fedklpr.api;

/** Service properties and prefixes that every FedKLPR bundle agrees on. */
public final class Names {
    /**
     * The service property that names an algorithm or provider (for example {@code fedpav}).
     * Configuration selects services by this name, so swapping an algorithm is a change of name.
     */
    public static final String SERVICE_NAME = "fedklpr.name";

    /** Tensors whose name starts with this prefix belong to the client's identity classifier. */
    public static final String HEAD_PREFIX = "head.";

    private Names() {
    }

    /** An LDAP filter that selects the service registered under {@code name}. */
    public static String filter(String name) {
        return "(" + SERVICE_NAME + "=" + name + ")";
    }
}
