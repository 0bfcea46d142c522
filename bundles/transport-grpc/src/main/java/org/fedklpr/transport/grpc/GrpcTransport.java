package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.net.ssl.KeyManagerFactory;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.transport.ClientConnection;
import org.fedklpr.api.transport.Transport;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The network transport ({@code fedklpr.name=grpc}), coordinator side: a gRPC server that the
 * sites connect to. It starts listening when an experiment first needs it, admits the sites its
 * tokens file names (in that file's order), and hands the experiment one {@link RemoteSite} per
 * site once it has joined.
 */
@Component(configurationPid = GrpcTransport.PID, service = {Transport.class, GrpcTransport.class},
        property = Names.SERVICE_NAME + "=grpc")
@Designate(ocd = GrpcTransport.Config.class)
public final class GrpcTransport implements Transport {
    static final String PID = "org.fedklpr.transport.grpc";
    private static final System.Logger LOG = System.getLogger(GrpcTransport.class.getName());
    /** A chunk of 1 MiB plus its message's fields: the most one message may be. */
    static final int MAX_MESSAGE = Chunks.MAX_CHUNK + 64 * 1024;
    /** HTTP/2 bytes in flight per stream before the receiver must acknowledge: several chunks. */
    static final int FLOW_CONTROL_WINDOW = 8 * Chunks.MAX_CHUNK;

    @ObjectClassDefinition(name = "FedKLPR gRPC transport (coordinator side)")
    @interface Config {
        @AttributeDefinition(description = "Address the coordinator listens on, HOST:PORT (port 0: any free port)")
        String listen() default "127.0.0.1:7077";

        @AttributeDefinition(description = "Name of the wire codec models are encoded with, both ways unless "
                + "downlinkCodec or uplinkCodec says otherwise; the starting model always travels with this one "
                + "(sites must have every codec named)")
        String codec() default "sparse";

        @AttributeDefinition(description = "Wire codec of the global model sent to the sites each round "
                + "(empty: codec), e.g. fp16 or int8")
        String downlinkCodec() default "";

        @AttributeDefinition(description = "Wire codec of the sites' updates (empty: codec), e.g. fp16 or int8")
        String uplinkCodec() default "";

        @AttributeDefinition(description = "The sites and their token digests (site-tokens.json, written by "
                + "fedklpr credentials); its order is the experiment's order of sites")
        String siteTokens() default "";

        @AttributeDefinition(description = "PKCS12 keystore with the coordinator's private key and certificate "
                + "(coordinator.p12, written by fedklpr credentials)")
        String keystore() default "";

        @AttributeDefinition(description = "File holding the keystore's password (coordinator.password)")
        String keystorePasswordFile() default "";

        @AttributeDefinition(description = "Serve without TLS: tokens and models travel in clear. Only for a "
                + "loopback demo or a network that is otherwise protected")
        boolean plaintext() default false;

        @AttributeDefinition(description = "Seconds to wait for every site to join when an experiment starts",
                min = "1")
        int joinTimeoutSeconds() default 600;

        @AttributeDefinition(description = "Seconds a site may take for one round's local training", min = "1")
        int roundTimeoutSeconds() default 3600;

        @AttributeDefinition(description = "Seconds a site may take for anything else (reading its data, "
                + "evaluating)", min = "1")
        int callTimeoutSeconds() default 1800;

        @AttributeDefinition(description = "Milliseconds a site's request for work waits before it is told to "
                + "ask again", min = "100")
        int pollMillis() default 5000;

        @AttributeDefinition(description = "Largest model or update accepted, in megabytes (checked before "
                + "anything is allocated)", min = "1")
        int maxPayloadMegabytes() default 1024;

        @AttributeDefinition(description = "How many sites work at once (0: all). Sites on their own machines "
                + "train in parallel; sites sharing one machine are faster taking turns, each with every core",
                min = "0")
        int concurrentSites() default 0;
    }

    /** The configuration as plain values, for a transport made outside OSGi (tests, benches). */
    record Settings(String listen, String codec, String downlinkCodec, String uplinkCodec, String siteTokens, String keystore, String keystorePasswordFile,
            boolean plaintext, int joinTimeoutSeconds, int roundTimeoutSeconds, int callTimeoutSeconds, int pollMillis,
            int maxPayloadMegabytes, int concurrentSites) implements Config {

        /** Loopback on any free port, the site tokens and (unless plaintext) the TLS key in {@code credentials}. */
        static Settings loopback(Path credentials, boolean plaintext, int roundTimeoutSeconds) {
            return new Settings("127.0.0.1:0", "dense", "", "", credentials.resolve("site-tokens.json").toString(),
                    plaintext ? "" : credentials.resolve("coordinator.p12").toString(),
                    plaintext ? "" : credentials.resolve("coordinator.password").toString(), plaintext, 60,
                    roundTimeoutSeconds, 600, 500, 1024, 0);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Config.class;
        }
    }

    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private final AtomicLong instructionIds = new AtomicLong();
    private volatile Config config;
    private Listening listening;
    /** The sites' latest requirements, checked again for a site that joins later. */
    private volatile SiteRequirements requirements;

    /** The running server and what it owns, so that all of it stops with the component. */
    private record Listening(Server server, EventLoopGroup boss, EventLoopGroup workers, ExecutorService executor,
            SiteTokens tokens, Map<String, SiteLink> links, Map<String, RemoteSite> sites, RemoteSite.Codecs codecs,
            Config config) {
    }

    @Activate
    public GrpcTransport(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public int concurrentSites() {
        int configured = config.concurrentSites();
        return configured == 0 ? Integer.MAX_VALUE : configured;
    }

    @Override
    public List<String> sites() {
        return tokens(config).sites();
    }

    @Override
    public void check(SiteRequirements requirements) {
        Config current = config;
        List<String> problems = new ArrayList<>();
        codecs.missing(List.of(current.codec())).forEach(p -> problems.add(PID + ":codec=" + current.codec() + ": "
                + p));
        if (!current.downlinkCodec().isEmpty()) {
            codecs.missing(List.of(current.downlinkCodec())).forEach(p -> problems.add(PID + ":downlinkCodec="
                    + current.downlinkCodec() + ": " + p));
        }
        if (!current.uplinkCodec().isEmpty()) {
            codecs.missing(List.of(current.uplinkCodec())).forEach(p -> problems.add(PID + ":uplinkCodec="
                    + current.uplinkCodec() + ": " + p));
        }
        try {
            tokens(current);
        } catch (FedklprException e) {
            problems.add(PID + ":siteTokens=" + current.siteTokens() + ": " + e.getMessage());
        }
        if (!current.plaintext()) {
            try {
                keyManagers(current);
            } catch (FedklprException e) {
                problems.add(PID + ":keystore=" + current.keystore() + ": " + e.getMessage());
            }
        }
        try {
            address(current.listen());
        } catch (FedklprException e) {
            problems.add(PID + ":listen=" + current.listen() + ": " + e.getMessage());
        }
        this.requirements = requirements;
        Listening now = listeningIfStarted();
        if (now != null) {
            for (RemoteSite site : now.sites().values()) {
                String siteProblems = site.check(requirements);
                if (!siteProblems.isEmpty()) {
                    for (String line : siteProblems.split("\n")) {
                        problems.add(line + " (site " + site.clientId() + ")");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new FedklprException(String.join("\n", problems));
        }
    }

    /**
     * Waits for the site {@code client.id()} to join, checks that it has what the experiment
     * names, and returns the connection to it. The descriptor's data folder is the site's business.
     */
    @Override
    public ClientConnection connect(ClientDescriptor client) {
        Listening now = listen();
        SiteLink link = now.links().get(client.id());
        if (link == null) {
            throw new FedklprException("site '" + client.id() + "' is not in " + now.config().siteTokens()
                    + " (its sites: " + String.join(", ", now.links().keySet()) + ")");
        }
        try {
            if (!link.awaitJoined(TimeUnit.SECONDS.toMillis(now.config().joinTimeoutSeconds()))) {
                throw new FedklprException("site " + client.id() + " did not join within " + now.config()
                        .joinTimeoutSeconds() + " s (joinTimeoutSeconds); is it started with --coordinator "
                        + now.config().listen() + " and its own token?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedklprException("interrupted while waiting for site " + client.id(), e);
        }
        RemoteSite site = new RemoteSite(link, now.codecs(), instructionIds, new RemoteSite.Deadlines(
                TimeUnit.SECONDS.toMillis(now.config().roundTimeoutSeconds()),
                TimeUnit.SECONDS.toMillis(now.config().callTimeoutSeconds())), client.datasetFormat());
        SiteRequirements named = requirements;
        if (named != null) {
            String problems = site.check(named);
            if (!problems.isEmpty()) {
                throw new FedklprException(problems.lines().map(line -> line + " (site " + client.id() + ")")
                        .collect(Collectors.joining("\n")));
            }
        }
        synchronized (this) {
            now.sites().put(client.id(), site);
        }
        return site;
    }

    /** Where the server listens, starting it if it does not yet. */
    synchronized InetSocketAddress listening() {
        return (InetSocketAddress) listen().server().getListenSockets().get(0);
    }

    private synchronized Listening listeningIfStarted() {
        return listening;
    }

    static String downlink(Config config) {
        return config.downlinkCodec().isEmpty() ? config.codec() : config.downlinkCodec();
    }

    static String uplink(Config config) {
        return config.uplinkCodec().isEmpty() ? config.codec() : config.uplinkCodec();
    }

    private synchronized Listening listen() {
        if (listening != null) {
            return listening;
        }
        Config current = config;
        SiteTokens tokens = tokens(current);
        RemoteSite.Codecs wire = new RemoteSite.Codecs(codecs.await(current.codec()),
                codecs.await(downlink(current)), codecs.await(uplink(current)));
        Map<String, SiteLink> links = new LinkedHashMap<>();
        tokens.sites().forEach(site -> links.put(site, new SiteLink(site)));
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        // Each waiting site holds a thread for up to pollMillis: a pool that grows with the sites.
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fedklpr-grpc-coordinator");
            thread.setDaemon(true);
            return thread;
        });
        FederationService service = new FederationService(links, new FederationService.CodecNames(current.codec(),
                downlink(current), uplink(current)), current.pollMillis(),
                (long) current.maxPayloadMegabytes() << 20, TimeUnit.SECONDS.toMillis(current.callTimeoutSeconds()),
                executor);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address(current.listen()))
                .bossEventLoopGroup(boss).workerEventLoopGroup(workers).channelType(NioServerSocketChannel.class)
                .executor(executor).maxInboundMessageSize(MAX_MESSAGE).maxInboundMetadataSize(16 * 1024)
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(5, TimeUnit.SECONDS)
                .permitKeepAliveTime(5, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(service, new SiteAuthentication(tokens)));
        if (current.plaintext()) {
            LOG.log(Level.WARNING, "the coordinator serves WITHOUT TLS (plaintext=true): site tokens and models "
                    + "travel in clear");
        } else {
            try {
                builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(keyManagers(current)))
                        .build());
            } catch (IOException e) {
                throw new FedklprException(PID + ":keystore=" + current.keystore() + ": TLS cannot be set up: "
                        + e.getMessage(), e);
            }
        }
        Server server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            executor.shutdownNow();
            throw new FedklprException(PID + ":listen=" + current.listen() + ": cannot listen there ("
                    + e.getMessage() + ")", e);
        }
        listening = new Listening(server, boss, workers, executor, tokens, links, new LinkedHashMap<>(), wire,
                current);
        LOG.log(Level.INFO, "the coordinator listens on " + server.getListenSockets() + (current.plaintext()
                ? " (plaintext)" : " (TLS)") + " for sites " + String.join(", ", links.keySet()));
        return listening;
    }

    @Deactivate
    synchronized void stop() {
        if (listening == null) {
            return;
        }
        listening.server().shutdownNow();
        try {
            listening.server().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listening.boss().shutdownGracefully(0, 1, TimeUnit.SECONDS);
        listening.workers().shutdownGracefully(0, 1, TimeUnit.SECONDS);
        listening.executor().shutdownNow();
        listening = null;
    }

    private static SiteTokens tokens(Config config) {
        if (config.siteTokens().isBlank()) {
            throw new FedklprException("no site tokens file is set (siteTokens): fedklpr credentials writes one");
        }
        return SiteTokens.read(Path.of(config.siteTokens()));
    }

    static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(hostAndPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostAndPort.substring(0, colon).replaceAll("^\\[|\\]$", ""), port);
        } catch (NumberFormatException e) {
            throw new FedklprException("expected HOST:PORT (a port from 0 to 65535), got '" + hostAndPort + "'");
        }
    }

    private static KeyManagerFactory keyManagers(Config config) {
        if (config.keystore().isBlank() || config.keystorePasswordFile().isBlank()) {
            throw new FedklprException("TLS needs keystore and keystorePasswordFile (fedklpr credentials writes "
                    + "coordinator.p12 and coordinator.password), or plaintext=true");
        }
        Path file = Path.of(config.keystore());
        try (InputStream in = Files.newInputStream(file)) {
            char[] password = Files.readString(Path.of(config.keystorePasswordFile()), StandardCharsets.UTF_8).strip()
                    .toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new FedklprException("keystore " + file + " cannot be opened with the password in "
                    + config.keystorePasswordFile() + " (" + e.getMessage() + ")", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCodec(WireCodec codec, Map<String, Object> properties) {
        codecs.add(codec, properties);
    }

    void removeCodec(WireCodec codec, Map<String, Object> properties) {
        codecs.remove(codec, properties);
    }
}
