package org.fedklpr.data.synthetic;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.fedklpr.api.FedklprException;

/**
 * Writes a synthetic federation in the Market-1501 layout: per client a folder with
 * {@code bounding_box_train/}, {@code query/} and {@code bounding_box_test/}, files named
 * {@code PPPP_cCsS_FFFFFF_BB.jpg}. Every image's randomness derives from the seed and the image's
 * coordinates (client, person, camera, index), so the output is identical run after run.
 */
final class WorldWriter {
    static final String MARKER = "world.txt";
    private static final String IN_PROGRESS = ".generating";

    private final WorldSpec spec;
    private final long seed;

    WorldWriter(WorldSpec spec, long seed) {
        this.spec = spec;
        this.seed = seed;
    }

    static String clientFolderName(int client) {
        return "client-" + (client + 1);
    }

    /** Writes the world under {@code root}, or reuses it if an identical one is already there. */
    List<Path> write(Path root) {
        try {
            List<Path> folders = new ArrayList<>();
            for (int c = 0; c < spec.clients(); c++) {
                folders.add(root.resolve(clientFolderName(c)));
            }
            Path marker = root.resolve(MARKER);
            String description = spec.describe(seed);
            if (Files.exists(marker) && Files.readString(marker).strip().equals(description)
                    && !Files.exists(root.resolve(IN_PROGRESS))) {
                return folders;
            }
            if (Files.isDirectory(root) && !Files.exists(marker) && !Files.exists(root.resolve(IN_PROGRESS))) {
                try (Stream<Path> entries = Files.list(root)) {
                    if (entries.findAny().isPresent()) {
                        throw new FedklprException("cannot write a synthetic world into " + root
                                + ": the folder holds other files (expected an empty folder or an earlier synthetic world)");
                    }
                }
            }
            Files.createDirectories(root);
            Files.writeString(root.resolve(IN_PROGRESS), description);
            Files.deleteIfExists(marker);
            for (int c = 0; c < spec.clients(); c++) {
                deleteRecursively(folders.get(c));
                writeClient(c, folders.get(c));
            }
            Files.writeString(marker, description + "\n");
            Files.delete(root.resolve(IN_PROGRESS));
            return folders;
        } catch (IOException e) {
            throw new FedklprException("could not write the synthetic world to " + root + ": " + e.getMessage(), e);
        }
    }

    private void writeClient(int client, Path folder) throws IOException {
        Path train = Files.createDirectories(folder.resolve("bounding_box_train"));
        Path query = Files.createDirectories(folder.resolve("query"));
        Path gallery = Files.createDirectories(folder.resolve("bounding_box_test"));
        int cameraCount = spec.cameras(client);
        CameraStyle[] cameras = new CameraStyle[cameraCount];
        for (int k = 0; k < cameraCount; k++) {
            cameras[k] = CameraStyle.random(random(client, 1, k));
        }
        int[] frames = new int[cameraCount];
        int trainIds = spec.trainIdentities(client);
        int testIds = spec.testIdentities(client);
        for (int pid = 1; pid <= trainIds + testIds; pid++) {
            Person person = Person.random(random(client, 2, pid));
            boolean[] seenBy = camerasThatSee(random(client, 3, pid), cameraCount);
            for (int camera = 0; camera < cameraCount; camera++) {
                if (!seenBy[camera]) {
                    continue;
                }
                if (pid <= trainIds) {
                    for (int i = 0; i < spec.trainImagesPerCamera(client); i++) {
                        writePerson(train, pid, person, camera, cameras, frames, random(client, 4, pid, camera, i));
                    }
                } else {
                    writePerson(query, pid, person, camera, cameras, frames, random(client, 5, pid, camera, 0));
                    for (int i = 0; i < spec.galleryImagesPerCamera(); i++) {
                        writePerson(gallery, pid, person, camera, cameras, frames, random(client, 6, pid, camera, i));
                    }
                }
            }
        }
        for (int d = 0; d < spec.distractors(); d++) {
            SplittableRandom random = random(client, 7, d);
            int camera = random.nextInt(cameraCount);
            writePerson(gallery, 0, Person.random(random.split()), camera, cameras, frames, random);
        }
        for (int j = 0; j < spec.junk(); j++) {
            SplittableRandom random = random(client, 8, j);
            int camera = random.nextInt(cameraCount);
            writeJunk(gallery, Person.random(random.split()), camera, cameras, frames, random);
        }
    }

    /** Each camera sees a person with probability 3/4, and at least two cameras always do. */
    private static boolean[] camerasThatSee(SplittableRandom random, int cameraCount) {
        boolean[] seen = new boolean[cameraCount];
        int count = 0;
        for (int k = 0; k < cameraCount; k++) {
            seen[k] = random.nextInt(4) != 0;
            count += seen[k] ? 1 : 0;
        }
        while (count < 2) {
            int k = random.nextInt(cameraCount);
            if (!seen[k]) {
                seen[k] = true;
                count++;
            }
        }
        return seen;
    }

    private void writePerson(Path folder, int pid, Person person, int camera, CameraStyle[] cameras, int[] frames,
            SplittableRandom random) throws IOException {
        CameraStyle style = cameras[camera];
        BufferedImage image = canvas();
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        PedestrianRenderer.background(g, style, random, spec.width(), spec.height());
        // Distractors are passers-by: further away and often cut by the frame.
        float scale = style.scale() * (pid == 0 ? 0.6f + 0.3f * random.nextFloat() : 0.93f + 0.1f * random.nextFloat());
        float offset = (random.nextFloat() - 0.5f) * spec.width() * (pid == 0 ? 0.6f : 0.12f);
        PedestrianRenderer.person(g, person, view(style, random), scale, offset, random.nextFloat(), spec.width(),
                spec.height());
        if (random.nextFloat() < style.occlusion()) {
            PedestrianRenderer.occluder(g, random, spec.width(), spec.height());
        }
        g.dispose();
        CameraEffects.apply(image, style, 0.9f + 0.2f * random.nextFloat(), random);
        save(image, folder, String.format("%04d", pid), camera, frames, random, style);
    }

    /** Junk: a detector's false positive, mostly background with at most a sliver of someone. */
    private void writeJunk(Path folder, Person person, int camera, CameraStyle[] cameras, int[] frames,
            SplittableRandom random) throws IOException {
        CameraStyle style = cameras[camera];
        BufferedImage image = canvas();
        Graphics2D g = image.createGraphics();
        PedestrianRenderer.background(g, style, random, spec.width(), spec.height());
        if (random.nextBoolean()) {
            float side = random.nextBoolean() ? -0.55f : 0.55f;
            PedestrianRenderer.person(g, person, PedestrianRenderer.View.SIDE, style.scale(), side * spec.width(),
                    random.nextFloat(), spec.width(), spec.height());
        }
        g.dispose();
        CameraEffects.apply(image, style, 1f, random);
        save(image, folder, "-1", camera, frames, random, style);
    }

    private static PedestrianRenderer.View view(CameraStyle style, SplittableRandom random) {
        float draw = random.nextFloat();
        if (draw < style.frontShare()) {
            return PedestrianRenderer.View.FRONT;
        }
        return draw < style.frontShare() + style.backShare() ? PedestrianRenderer.View.BACK
                : PedestrianRenderer.View.SIDE;
    }

    private BufferedImage canvas() {
        return new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
    }

    private static void save(BufferedImage image, Path folder, String pid, int camera, int[] frames,
            SplittableRandom random, CameraStyle style) throws IOException {
        frames[camera] += 1 + random.nextInt(40);
        int sequence = 1 + frames[camera] / 2000;
        String name = String.format("%s_c%ds%d_%06d_%02d.jpg", pid, camera + 1, sequence, frames[camera],
                1 + random.nextInt(3));
        // Frame numbers only grow within a camera, so names never collide.
        Path file = folder.resolve(name);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(output);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(style.jpegQuality());
            writer.write(null, new IIOImage(image, null, null), parameters);
        } finally {
            writer.dispose();
        }
    }

    private SplittableRandom random(int client, long... coordinates) {
        long state = seed * 0x9E3779B97F4A7C15L + client;
        for (long coordinate : coordinates) {
            state = mix(state ^ (coordinate + 0x632BE59BD9B4E019L));
        }
        return new SplittableRandom(mix(state));
    }

    /** The splitmix64 finaliser: neighbouring inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
