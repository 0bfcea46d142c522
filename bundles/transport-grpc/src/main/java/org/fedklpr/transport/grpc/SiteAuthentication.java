package org.fedklpr.transport.grpc;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Every call carries its site's token ({@code authorization: Bearer <token>}); a call without a
 * known token is closed with UNAUTHENTICATED before any of its messages is read. The site the token
 * belongs to travels on in the call's context, so a site can only ever act as itself.
 */
final class SiteAuthentication implements ServerInterceptor {
    private static final System.Logger LOG = System.getLogger(SiteAuthentication.class.getName());
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> SITE = Context.key("fedklpr-site");
    private static final String BEARER = "Bearer ";

    private final SiteTokens tokens;

    SiteAuthentication(SiteTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        String value = headers.get(AUTHORIZATION);
        String site = value != null && value.startsWith(BEARER) ? tokens.siteOf(value.substring(BEARER.length()))
                .orElse(null) : null;
        if (site == null) {
            SocketAddress from = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            LOG.log(Level.WARNING, "refused a call from " + from + ": " + (value == null ? "no site token"
                    : "a token that no site has"));
            call.close(Status.UNAUTHENTICATED.withDescription(value == null ? "no site token"
                    : "the token is not one of this coordinator's sites"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(SITE, site), call, headers, next);
    }
}
