package org.fedklpr.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The command line as a user meets it: the real {@code fedklpr} script, one JVM per command, run in
 * a work folder; and a tiny feature (two synthetic sites, one round of a tiny CNN) that keeps each
 * run to seconds.
 */
final class Fedklpr {
    static final Path HOME = Path.of(System.getProperty("fedklpr.home", "../..")).toAbsolutePath().normalize();
    static final String COORDINATOR = "org.fedklpr.coordinator";

    private final Path work;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Fedklpr(Path work) {
        this.work = work;
    }

    /** Runs {@code fedklpr arguments...} to its end (5 minutes at most). */
    Result run(String... arguments) throws IOException, InterruptedException {
        Started started = start(arguments);
        if (!started.process().waitFor(5, TimeUnit.MINUTES)) {
            started.process().destroyForcibly();
            throw new AssertionError("fedklpr " + String.join(" ", arguments) + " did not end within 5 minutes");
        }
        return started.result();
    }

    /** A command running in the background, its output going to files. */
    record Started(Process process, Path out, Path err) {
        Result result() throws IOException {
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        /** Waits for it to end (5 minutes at most) and returns what it did. */
        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("a background fedklpr did not end within 5 minutes");
            }
            return result();
        }
    }

    Started start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", HOME.resolve("fedklpr").toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        return new Started(process, out, err);
    }

    /** The demo's runtime with a two-site synthetic world written under the work folder. */
    Path tinyFeature() throws IOException {
        JsonObject demo = JsonParser.parseString(Files.readString(HOME.resolve("features/demo.json")))
                .getAsJsonObject();
        JsonObject world = new JsonObject();
        world.addProperty("clients:Integer", 2);
        world.add("trainIdentities:int[]", numbers(6, 5));
        world.add("testIdentities:int[]", numbers(4));
        world.add("cameras:int[]", numbers(2, 3));
        world.addProperty("trainImagesPerCamera:Integer", 2);
        world.addProperty("distractors:Integer", 2);
        world.addProperty("junk:Integer", 1);
        JsonObject coordinator = new JsonObject();
        coordinator.addProperty("name", "tiny");
        coordinator.addProperty("rounds:Integer", 1);
        coordinator.addProperty("batchSize:Integer", 16);
        coordinator.addProperty("localEpochs:Integer", 1);
        coordinator.addProperty("dataRoot", work.resolve("data").toString());
        JsonObject configurations = new JsonObject();
        configurations.add("org.fedklpr.data.synthetic", world);
        configurations.add(COORDINATOR, coordinator);
        demo.add("configurations", configurations);
        demo.addProperty("name", "tiny");
        return Files.writeString(work.resolve("tiny.json"), new Gson().toJson(demo));
    }

    private static JsonArray numbers(int... values) {
        JsonArray array = new JsonArray();
        Arrays.stream(values).forEach(array::add);
        return array;
    }
}
