package org.fedklpr.transport.inprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientFactory;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.transport.ClientConnection;
import org.fedklpr.api.transport.Transport;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The simulation transport ({@code fedklpr.name=inprocess}). */
@Component(configurationPid = InProcessTransport.PID, property = Names.SERVICE_NAME + "=inprocess")
@Designate(ocd = InProcessTransport.Config.class)
public final class InProcessTransport implements Transport {
    static final String PID = "org.fedklpr.transport.inprocess";

    @ObjectClassDefinition(name = "FedKLPR in-process transport")
    @interface Config {
        @AttributeDefinition(description = "Name of the wire codec models are encoded with (both ways, unless "
                + "downlinkCodec or uplinkCodec says otherwise; the starting model always travels with this one)")
        String codec() default "sparse";

        @AttributeDefinition(description = "Wire codec of the global model sent to the clients each round "
                + "(empty: codec), e.g. fp16 or int8")
        String downlinkCodec() default "";

        @AttributeDefinition(description = "Wire codec of the clients' updates (empty: codec), e.g. fp16 or int8")
        String uplinkCodec() default "";

        @AttributeDefinition(description = "Name of the client factory that starts the simulated clients")
        String clientFactory() default "local";
    }

    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private final NamedServices<ClientFactory> factories = new NamedServices<>("client factory");
    private volatile Config config;

    @Activate
    public InProcessTransport(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public ClientConnection connect(ClientDescriptor client) {
        Config current = config;
        InProcessConnection.Codecs wire = new InProcessConnection.Codecs(codecs.await(current.codec()),
                codecs.await(downlink(current)), codecs.await(uplink(current)));
        return new InProcessConnection(client.id(), factories.await(current.clientFactory()).create(client), wire);
    }

    private static String downlink(Config config) {
        return config.downlinkCodec().isEmpty() ? config.codec() : config.downlinkCodec();
    }

    private static String uplink(Config config) {
        return config.uplinkCodec().isEmpty() ? config.codec() : config.uplinkCodec();
    }

    /** Every simulated site runs here, so the client factory answers for all of them. */
    @Override
    public void check(SiteRequirements requirements) {
        Config current = config;
        List<String> problems = new ArrayList<>();
        codecs.missing(List.of(current.codec())).forEach(p -> problems.add(PID + ":codec=" + current.codec() + ": " + p));
        if (!current.downlinkCodec().isEmpty()) {
            codecs.missing(List.of(current.downlinkCodec())).forEach(p -> problems.add(PID + ":downlinkCodec="
                    + current.downlinkCodec() + ": " + p));
        }
        if (!current.uplinkCodec().isEmpty()) {
            codecs.missing(List.of(current.uplinkCodec())).forEach(p -> problems.add(PID + ":uplinkCodec="
                    + current.uplinkCodec() + ": " + p));
        }
        factories.missing(List.of(current.clientFactory())).forEach(p -> problems.add(PID + ":clientFactory="
                + current.clientFactory() + ": " + p));
        if (factories.contains(current.clientFactory())) {
            try {
                factories.get(current.clientFactory()).check(requirements);
            } catch (FedklprException e) {
                problems.addAll(List.of(e.getMessage().split("\n")));
            }
        }
        if (!problems.isEmpty()) {
            throw new FedklprException(String.join("\n", problems));
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFactory(ClientFactory factory, Map<String, Object> properties) {
        factories.add(factory, properties);
    }

    void removeFactory(ClientFactory factory, Map<String, Object> properties) {
        factories.remove(factory, properties);
    }
}
