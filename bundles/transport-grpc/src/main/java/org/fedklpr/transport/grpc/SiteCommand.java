package org.fedklpr.transport.grpc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.federation.ClientFactory;
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

/**
 * {@code fedklpr site}: runs this machine as one site of a federation until the coordinator ends
 * the experiment. Operands, as the launcher checked them: coordinator HOST:PORT, site name, data
 * folder, state folder, token file, certificate authority file (blank with plaintext), plaintext.
 */
@Component(configurationPid = SiteCommand.PID, property = Names.SERVICE_NAME + "=site")
@Designate(ocd = SiteCommand.Config.class)
public final class SiteCommand implements PlatformCommand {
    static final String PID = "org.fedklpr.transport.grpc.site";

    @ObjectClassDefinition(name = "FedKLPR gRPC transport (site side)")
    @interface Config {
        @AttributeDefinition(description = "Name of the client factory that reads the site's data and trains")
        String clientFactory() default "local";

        @AttributeDefinition(description = "Seconds the site keeps trying to reach a coordinator it cannot reach"
                + " (a coordinator that restarts comes back within them)", min = "1")
        long giveUpSeconds() default 3600;

        @AttributeDefinition(description = "Seconds one model may take to travel either way", min = "1")
        long transferSeconds() default 600;

        @AttributeDefinition(description = "Largest model accepted from the coordinator, in megabytes", min = "1")
        int maxPayloadMegabytes() default 1024;
    }

    private final NamedServices<ClientFactory> factories = new NamedServices<>("client factory");
    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private volatile Config config;

    @Activate
    public SiteCommand(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public int run(List<String> arguments) {
        if (arguments.size() != 7) {
            throw new IllegalArgumentException("site expects 7 operands from the launcher, got " + arguments);
        }
        Config current = config;
        boolean plaintext = Boolean.parseBoolean(arguments.get(6));
        SiteAgent.Options options = new SiteAgent.Options(arguments.get(0), arguments.get(1), Path.of(arguments.get(2)),
                Path.of(arguments.get(3)), SiteTokens.readToken(Path.of(arguments.get(4))),
                plaintext ? null : Path.of(arguments.get(5)), plaintext, current.giveUpSeconds(),
                current.transferSeconds(), (long) current.maxPayloadMegabytes() << 20);
        ClientFactory factory = factories.await(current.clientFactory());
        return new SiteAgent(options, factory, name -> {
            if (!codecs.contains(name)) {
                throw new FedklprException("the coordinator encodes models with '" + name + "', which this site "
                        + "does not have (" + String.join(", ", codecs.names()) + ")");
            }
            return codecs.get(name);
        }).run();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFactory(ClientFactory factory, Map<String, Object> properties) {
        factories.add(factory, properties);
    }

    void removeFactory(ClientFactory factory, Map<String, Object> properties) {
        factories.remove(factory, properties);
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
