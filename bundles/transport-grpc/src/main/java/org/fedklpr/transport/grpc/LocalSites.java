package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code start-local-sites RUN FEATURE [PID:KEY=VALUE ...]}: the loopback federation of
 * {@code fedklpr demo|run --transport grpc}. It writes the experiment's synthetic world (as the
 * in-process run would), gives every client folder a token, starts the coordinator's server, and
 * starts one site per folder as its own JVM ({@code fedklpr site}), each with its data folder and a
 * state folder in the run folder. The sites run the same feature with the same command-line
 * settings as this runtime, so that every site-side setting (losses, pruning, engine) is the one
 * the simulation would use. The experiment then runs as usual; the sites stop when it ends, and
 * with this runtime at the latest.
 */
@Component(property = Names.SERVICE_NAME + "=start-local-sites")
public final class LocalSites implements PlatformCommand {
    private static final System.Logger LOG = System.getLogger(LocalSites.class.getName());
    private static final String COORDINATOR_PID = "org.fedklpr.coordinator";

    private final Settings settings;
    private final GrpcTransport transport;
    private final NamedServices<DatasetGenerator> generators = new NamedServices<>("dataset generator");
    private final List<Process> started = new ArrayList<>();

    @Activate
    public LocalSites(@Reference Settings settings, @Reference GrpcTransport transport) {
        this.settings = settings;
        this.transport = transport;
    }

    @Override
    public int run(List<String> arguments) {
        Path run = Path.of(arguments.get(0)).toAbsolutePath();
        Map<String, Map<String, Object>> inEffect = settings.inEffect();
        Map<String, Object> coordinator = inEffect.getOrDefault(COORDINATOR_PID, Map.of());
        String generator = String.valueOf(coordinator.getOrDefault("generator", ""));
        if (generator.isBlank()) {
            throw new FedklprException("a loopback federation needs generated data (" + COORDINATOR_PID
                    + ":generator=synthetic)");
        }
        List<Path> folders = generators.await(generator).generate(Path.of(String.valueOf(coordinator.get("dataRoot"))),
                ((Number) coordinator.get("seed")).longValue());
        Object tokensSetting = inEffect.getOrDefault(GrpcTransport.PID, Map.of()).get("siteTokens");
        if (tokensSetting == null || String.valueOf(tokensSetting).isBlank()) {
            throw new FedklprException("a loopback federation needs " + GrpcTransport.PID + ":siteTokens set");
        }
        Path tokensFile = Path.of(String.valueOf(tokensSetting)).toAbsolutePath();
        Map<String, byte[]> digests = new LinkedHashMap<>();
        Map<String, Path> tokenFiles = new LinkedHashMap<>();
        try {
            Files.createDirectories(tokensFile.getParent());
            for (Path folder : folders) {
                String site = folder.getFileName().toString();
                String token = SiteTokens.newToken();
                Path file = tokensFile.resolveSibling(site + ".token");
                Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
                tokenFiles.put(site, file);
                digests.put(site, SiteTokens.digest(token));
            }
        } catch (IOException e) {
            throw new FedklprException("cannot write the sites' tokens next to " + tokensFile + ": " + e.getMessage(),
                    e);
        }
        new SiteTokens(digests).write(tokensFile);
        InetSocketAddress address = transport.listening();
        Path home = Path.of(System.getProperty("fedklpr.home", ".")).toAbsolutePath();
        for (Path folder : folders) {
            String site = folder.getFileName().toString();
            Path sites = run.resolve("sites");
            List<String> command = new ArrayList<>(List.of("bash", home.resolve("fedklpr").toString(), "site",
                    arguments.get(1), "--coordinator", address.getHostString() + ":" + address.getPort(), "--name",
                    site, "--data", folder.toString(), "--state", sites.resolve(site).toString(), "--token-file",
                    tokenFiles.get(site).toString(), "--plaintext"));
            for (String setting : arguments.subList(2, arguments.size())) {
                command.addAll(List.of("--set", setting));
            }
            try {
                Files.createDirectories(sites);
                Path log = sites.resolve(site + ".log");
                ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                // The sites take turns on this machine's cores: one that has finished its part must not
                // keep them busy waiting for more (OpenMP spins by default); how long it waits changes no result.
                builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
                Process process = builder.start();
                synchronized (started) {
                    started.add(process);
                }
                LOG.log(Level.INFO, "started site " + site + " (pid " + process.pid() + ", log " + log + ")");
            } catch (IOException e) {
                throw new FedklprException("cannot start site " + site + " (" + String.join(" ", command) + "): "
                        + e.getMessage(), e);
            }
        }
        return 0;
    }

    /** Sites still running when the runtime stops (the experiment failed before it ended them) stop too. */
    @Deactivate
    void stop() {
        List<Process> running;
        synchronized (started) {
            running = new ArrayList<>(started);
            started.clear();
        }
        for (Process process : running) {
            process.destroy();
        }
        for (Process process : running) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addGenerator(DatasetGenerator generator, Map<String, Object> properties) {
        generators.add(generator, properties);
    }

    void removeGenerator(DatasetGenerator generator, Map<String, Object> properties) {
        generators.remove(generator, properties);
    }
}
