package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.osgi.service.component.annotations.Component;

/**
 * {@code fedklpr credentials}: what a federation authenticates with, made with the JDK's own
 * {@code keytool} (no openssl, nothing downloaded). Operands: the folder, the sites (comma
 * separated), the coordinator's host names and addresses (comma separated, may be blank).
 *
 * <p>Written: {@code ca.p12} + {@code ca.password} (the certificate authority: keep them off the
 * coordinator once done), {@code ca.pem} (what sites trust), {@code coordinator.p12} +
 * {@code coordinator.password} (the coordinator's TLS key and certificate, signed by the authority,
 * valid for the given names plus localhost and 127.0.0.1), {@code <site>.token} per site (its
 * secret, for that site only) and {@code site-tokens.json} (the digests the coordinator checks). Secret
 * files are readable by their owner only.
 */
@Component(property = Names.SERVICE_NAME + "=credentials")
public final class CredentialsCommand implements PlatformCommand {
    private static final Pattern SITE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:]*");
    private static final int CA_DAYS = 3650;
    private static final int CERTIFICATE_DAYS = 825;

    @Override
    public int run(List<String> arguments) {
        Path folder = Path.of(arguments.get(0));
        List<String> sites = names(arguments.get(1));
        Set<String> hosts = write(folder, sites, new LinkedHashSet<>(names(arguments.size() > 2 ? arguments.get(2)
                : "")));
        System.out.println("Credentials for a coordinator at " + String.join(", ", hosts) + " and sites "
                + String.join(", ", sites) + " in " + folder.toAbsolutePath() + ":\n"
                + "  coordinator: fedklpr coordinator FEATURE --listen HOST:PORT --credentials " + folder + "\n"
                + "  each site:   copy ca.pem and its own NAME.token to it, then\n"
                + "               fedklpr site FEATURE --coordinator HOST:PORT --name NAME --data DIR --token-file"
                + " NAME.token --trust ca.pem\n"
                + "  keep ca.p12 and ca.password elsewhere: with them anyone can pose as the coordinator");
        return 0;
    }

    /** Writes the credentials; returns the host names the coordinator's certificate is valid for. */
    static Set<String> write(Path folder, List<String> sites, Set<String> requestedHosts) {
        Set<String> hosts = new LinkedHashSet<>(requestedHosts);
        hosts.add("localhost");
        hosts.add("127.0.0.1");
        for (String site : sites) {
            if (!SITE_NAME.matcher(site).matches()) {
                throw new FedklprException("--sites: '" + site + "' is not a site name (letters, digits, . _ -; "
                        + "starting with a letter or digit)");
            }
        }
        if (sites.isEmpty() || new LinkedHashSet<>(sites).size() != sites.size()) {
            throw new FedklprException("--sites: expected distinct site names, got " + String.join(",", sites));
        }
        if (Files.exists(folder.resolve("site-tokens.json")) || Files.exists(folder.resolve("ca.p12"))) {
            throw new FedklprException("--out " + folder + " already holds credentials: choose another folder (new "
                    + "credentials would lock out every site that has the old ones)");
        }
        try {
            Files.createDirectories(folder);
            String caPassword = secret(folder.resolve("ca.password"), SiteTokens.newToken());
            String coordinatorPassword = secret(folder.resolve("coordinator.password"), SiteTokens.newToken());
            keytool(folder, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=FedKLPR federation CA", "-ext", "bc:c", "-validity", String.valueOf(CA_DAYS),
                    "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", caPassword);
            keytool(folder, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", caPassword,
                    "-file", "ca.pem");
            keytool(folder, "-genkeypair", "-alias", "coordinator", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + hosts.iterator().next(), "-validity", String.valueOf(CERTIFICATE_DAYS),
                    "-keystore", "coordinator.p12", "-storetype", "PKCS12", "-storepass", coordinatorPassword);
            keytool(folder, "-certreq", "-alias", "coordinator", "-keystore", "coordinator.p12", "-storepass",
                    coordinatorPassword, "-file", "coordinator.csr");
            keytool(folder, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", caPassword, "-infile",
                    "coordinator.csr", "-outfile", "coordinator.crt", "-rfc", "-validity",
                    String.valueOf(CERTIFICATE_DAYS), "-ext", "san=" + subjectAlternativeNames(hosts),
                    "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=serverAuth");
            keytool(folder, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore",
                    "coordinator.p12", "-storepass", coordinatorPassword);
            keytool(folder, "-importcert", "-alias", "coordinator", "-file", "coordinator.crt", "-keystore",
                    "coordinator.p12", "-storepass", coordinatorPassword);
            Files.deleteIfExists(folder.resolve("coordinator.csr"));
            ownerOnly(folder.resolve("ca.p12"));
            ownerOnly(folder.resolve("coordinator.p12"));
            Map<String, byte[]> digests = new LinkedHashMap<>();
            for (String site : sites) {
                String token = SiteTokens.newToken();
                secret(folder.resolve(site + ".token"), token);
                digests.put(site, SiteTokens.digest(token));
            }
            new SiteTokens(digests).write(folder.resolve("site-tokens.json"));
        } catch (IOException e) {
            throw new FedklprException("cannot write credentials to " + folder + ": " + e.getMessage(), e);
        }
        return hosts;
    }

    private static List<String> names(String commaSeparated) {
        List<String> names = new ArrayList<>();
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return names;
    }

    private static String subjectAlternativeNames(Set<String> hosts) {
        List<String> entries = new ArrayList<>();
        for (String host : hosts) {
            entries.add((IP_ADDRESS.matcher(host).matches() ? "ip:" : "dns:") + host);
        }
        return String.join(",", entries);
    }

    private static String secret(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        ownerOnly(file);
        return value;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own defaults apply.
        }
    }

    private static void keytool(Path folder, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new FedklprException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new FedklprException("cannot run " + command.get(0) + " (a JDK's keytool): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedklprException("interrupted while running keytool", e);
        }
    }
}
