package org.fedklpr.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.fedklpr.api.FedklprException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldWriterTest {
    private static final Pattern MARKET_NAME = Pattern.compile("(-1|\\d{4})_c(\\d)s(\\d)_(\\d{6})_(\\d{2})\\.jpg");
    private static final WorldSpec SMALL = new WorldSpec(2, new int[] {5, 3}, new int[] {4}, new int[] {3, 2}, new int[] {2}, 2,
            3, 2, 64, 128);

    @Test
    void writesTheMarketLayoutWithDisjointSplitsAndJunk(@TempDir Path root) throws IOException {
        List<Path> clients = new WorldWriter(SMALL, 1).write(root);
        assertEquals(List.of(root.resolve("client-1"), root.resolve("client-2")), clients);
        Map<String, Set<Integer>> ids = new HashMap<>();
        Map<String, Set<Integer>> cameras = new HashMap<>();
        for (String split : List.of("bounding_box_train", "query", "bounding_box_test")) {
            try (Stream<Path> files = Files.list(clients.get(0).resolve(split))) {
                for (Path file : files.toList()) {
                    Matcher m = MARKET_NAME.matcher(file.getFileName().toString());
                    assertTrue(m.matches(), file.toString());
                    ids.computeIfAbsent(split, k -> new HashSet<>()).add(Integer.parseInt(m.group(1)));
                    cameras.computeIfAbsent(split, k -> new HashSet<>()).add(Integer.parseInt(m.group(2)));
                    BufferedImage image = ImageIO.read(file.toFile());
                    assertNotNull(image, file.toString());
                    assertEquals(64, image.getWidth());
                    assertEquals(128, image.getHeight());
                }
            }
        }
        assertEquals(Set.of(1, 2, 3, 4, 5), ids.get("bounding_box_train"));
        assertEquals(Set.of(6, 7, 8, 9), ids.get("query"));
        assertEquals(Set.of(-1, 0, 6, 7, 8, 9), ids.get("bounding_box_test"));
        assertEquals(Set.of(1, 2, 3), cameras.get("bounding_box_train"));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherImages(@TempDir Path root) throws IOException {
        WorldSpec one = new WorldSpec(1, new int[] {2}, new int[] {1}, new int[] {2}, new int[] {1}, 1, 0, 0, 64, 128);
        Path a = new WorldWriter(one, 5).write(root.resolve("a")).get(0);
        Path b = new WorldWriter(one, 5).write(root.resolve("b")).get(0);
        Path c = new WorldWriter(one, 6).write(root.resolve("c")).get(0);
        List<Path> filesA = list(a.resolve("bounding_box_train"));
        assertEquals(filesA.stream().map(Path::getFileName).toList(),
                list(b.resolve("bounding_box_train")).stream().map(Path::getFileName).toList());
        for (Path file : filesA) {
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(b.resolve("bounding_box_train")
                    .resolve(file.getFileName())));
        }
        assertNotEquals(Files.readAllBytes(filesA.get(0)).length,
                Files.readAllBytes(list(c.resolve("bounding_box_train")).get(0)).length);
    }

    @Test
    void reusesAnIdenticalWorldAndRefusesAForeignFolder(@TempDir Path root) throws IOException {
        WorldSpec one = new WorldSpec(1, new int[] {2}, new int[] {1}, new int[] {2}, new int[] {1}, 1, 0, 0, 64, 128);
        Path client = new WorldWriter(one, 5).write(root.resolve("w")).get(0);
        Path marker = client.resolve("bounding_box_train").resolve("keep.txt");
        Files.writeString(marker, "untouched when reused");
        new WorldWriter(one, 5).write(root.resolve("w"));
        assertTrue(Files.exists(marker));

        Files.createDirectories(root.resolve("foreign"));
        Files.writeString(root.resolve("foreign").resolve("notes.txt"), "mine");
        FedklprException e = assertThrows(FedklprException.class,
                () -> new WorldWriter(one, 5).write(root.resolve("foreign")));
        assertTrue(e.getMessage().contains("holds other files"), e.getMessage());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }
}
