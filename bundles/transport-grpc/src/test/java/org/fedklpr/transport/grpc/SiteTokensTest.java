package org.fedklpr.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fedklpr.api.FedklprException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteTokensTest {
    @Test
    void eachTokenOpensItsOwnSiteOnlyAndTheFileKeepsTheSitesOrder(@TempDir Path folder) throws IOException {
        String duke = SiteTokens.newToken();
        String market = SiteTokens.newToken();
        Map<String, byte[]> digests = new LinkedHashMap<>();
        digests.put("market", SiteTokens.digest(market));
        digests.put("duke", SiteTokens.digest(duke));
        Path file = folder.resolve("site-tokens.json");
        new SiteTokens(digests).write(file);
        assertTrue(!Files.readString(file).contains(duke), "only digests are kept");

        SiteTokens read = SiteTokens.read(file);
        assertEquals(List.of("market", "duke"), read.sites());
        assertEquals(Optional.of("duke"), read.siteOf(duke));
        assertEquals(Optional.of("market"), read.siteOf(market + "\n"));
        assertEquals(Optional.empty(), read.siteOf(SiteTokens.newToken()));

        Path tokenFile = Files.writeString(folder.resolve("duke.token"), duke + "\n");
        assertEquals(duke, SiteTokens.readToken(tokenFile));
    }

    @Test
    void aBrokenFileIsNamed(@TempDir Path folder) throws IOException {
        Path missing = folder.resolve("nothing.json");
        assertTrue(assertThrows(FedklprException.class, () -> SiteTokens.read(missing)).getMessage()
                .contains(missing.toString()));
        Path bad = Files.writeString(folder.resolve("bad.json"), "{\"sites\": {\"duke\": \"md5:abc\"}}");
        FedklprException e = assertThrows(FedklprException.class, () -> SiteTokens.read(bad));
        assertTrue(e.getMessage().contains("site 'duke' has 'md5:abc'"), e.getMessage());
        Path notAToken = Files.writeString(folder.resolve("x.token"), "password123\n");
        assertThrows(FedklprException.class, () -> SiteTokens.readToken(notAToken));
    }
}
