package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fedklpr.api.FedklprException;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Which sites may join, each with its own secret token. The coordinator keeps only the tokens'
 * SHA-256 digests ({@code site-tokens.json}: {@code {"sites": {"name": "sha256:<hex>", ...}}}, in the
 * order that becomes the experiment's order of sites); each site keeps its own token in a file.
 */
final class SiteTokens {
    private static final String PREFIX = "sha256:";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Site name to the digest of its token, in file order. */
    private final Map<String, byte[]> digests;

    SiteTokens(Map<String, byte[]> digests) {
        this.digests = new LinkedHashMap<>(digests);
    }

    static SiteTokens read(Path file) {
        JsonObject sites;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            sites = root.getAsJsonObject().getAsJsonObject("sites");
            if (sites == null) {
                throw new IllegalStateException("it has no \"sites\" object");
            }
        } catch (IOException | RuntimeException e) {
            throw new FedklprException("site tokens file " + file + " cannot be read (" + e.getMessage()
                    + "); fedklpr credentials writes one", e);
        }
        Map<String, byte[]> digests = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> site : sites.entrySet()) {
            String value = site.getValue().isJsonPrimitive() ? site.getValue().getAsString() : "";
            if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + 64) {
                throw new FedklprException("site tokens file " + file + ": site '" + site.getKey() + "' has '"
                        + value + "', expected sha256:<64 hex digits>");
            }
            digests.put(site.getKey(), HexFormat.of().parseHex(value.substring(PREFIX.length())));
        }
        if (digests.isEmpty()) {
            throw new FedklprException("site tokens file " + file + " names no site");
        }
        return new SiteTokens(digests);
    }

    void write(Path file) {
        JsonObject sites = new JsonObject();
        digests.forEach((site, digest) -> sites.addProperty(site, PREFIX + HexFormat.of().formatHex(digest)));
        JsonObject root = new JsonObject();
        root.add("sites", sites);
        try {
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FedklprException("cannot write site tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The sites, in the experiment's order. */
    List<String> sites() {
        return List.copyOf(digests.keySet());
    }

    /** The site a presented token belongs to, compared in constant time. */
    Optional<String> siteOf(String token) {
        byte[] presented = digest(token);
        String found = null;
        for (Map.Entry<String, byte[]> site : digests.entrySet()) {
            if (MessageDigest.isEqual(presented, site.getValue())) {
                found = site.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    /** A fresh secret: 256 random bits as hex. */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A site's token as its file holds it (one line). */
    static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!token.matches("[0-9a-f]{64}")) {
                throw new FedklprException("token file " + file + " does not hold a token (64 hex digits, as "
                        + "fedklpr credentials writes)");
            }
            return token;
        } catch (IOException e) {
            throw new FedklprException("token file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
