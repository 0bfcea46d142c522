package org.fedklpr.data.formats;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Writes real (tiny) image files, and the junk real dataset folders contain. */
final class TestImages {
    private TestImages() {
    }

    static Path image(Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(name);
        BufferedImage image = new BufferedImage(4, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 2, 0x336699);
        String format = name.toLowerCase().endsWith(".png") ? "png" : name.toLowerCase().endsWith(".bmp") ? "bmp" : "jpg";
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    static void images(Path folder, String... names) throws IOException {
        for (String name : names) {
            image(folder, name);
        }
    }

    static Path text(Path folder, String name, String content) throws IOException {
        Files.createDirectories(folder);
        return Files.writeString(folder.resolve(name), content);
    }
}
