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
    /** The {@code fedklpr} script to run: the project's, or an assembled runtime's. */
    private final Path script;
    /** Extra JVM options for every command ({@code FEDKLPR_JAVA_OPTS}). */
    private final String javaOptions;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Fedklpr(Path work) {
        this(work, HOME.resolve("fedklpr"), "");
    }

    private Fedklpr(Path work, Path script, String javaOptions) {
        this.work = work;
        this.script = script;
        this.javaOptions = javaOptions;
    }

    /**
     * The runtime assembled in {@code folder}, run with a home folder of its own: no Maven repository
     * to fall back on, as on a host that has only a JDK.
     */
    Fedklpr assembled(Path folder) throws IOException {
        Path home = Files.createDirectories(work.resolve("bare-home"));
        return new Fedklpr(work, folder.resolve("fedklpr"), "-Duser.home=" + home);
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
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (!javaOptions.isEmpty()) {
            builder.environment().put("FEDKLPR_JAVA_OPTS", javaOptions);
        }
        Process process = builder.start();
        return new Started(process, out, err);
    }

    /** The demo's runtime with a two-site synthetic world written under the work folder. */
    Path tinyFeature() throws IOException {
        return tinyFeature("tiny", 2);
    }

    /** The demo's runtime with a synthetic world of {@code sites} small sites under {@code work/<name>-data}. */
    Path tinyFeature(String name, int sites) throws IOException {
        JsonObject demo = JsonParser.parseString(Files.readString(HOME.resolve("features/demo.json")))
                .getAsJsonObject();
        JsonObject world = new JsonObject();
        world.addProperty("clients:Integer", sites);
        world.add("trainIdentities:int[]", numbers(Arrays.copyOf(new int[] {6, 5, 5, 4}, sites)));
        world.add("testIdentities:int[]", numbers(4));
        world.add("cameras:int[]", numbers(Arrays.copyOf(new int[] {2, 3, 2, 2}, sites)));
        world.addProperty("trainImagesPerCamera:Integer", 2);
        world.addProperty("distractors:Integer", 2);
        world.addProperty("junk:Integer", 1);
        JsonObject coordinator = new JsonObject();
        coordinator.addProperty("name", name);
        coordinator.addProperty("rounds:Integer", 1);
        coordinator.addProperty("batchSize:Integer", 16);
        coordinator.addProperty("localEpochs:Integer", 1);
        coordinator.addProperty("dataRoot", data(name).toString());
        JsonObject configurations = new JsonObject();
        configurations.add("org.fedklpr.data.synthetic", world);
        configurations.add(COORDINATOR, coordinator);
        demo.add("configurations", configurations);
        demo.addProperty("name", name);
        return Files.writeString(work.resolve(name + ".json"), new Gson().toJson(demo));
    }

    /** Where {@link #tinyFeature} writes the world of the feature {@code name}. */
    Path data(String name) {
        return work.resolve(name.equals("tiny") ? "data" : name + "-data");
    }

    private static JsonArray numbers(int... values) {
        JsonArray array = new JsonArray();
        Arrays.stream(values).forEach(array::add);
        return array;
    }
}
