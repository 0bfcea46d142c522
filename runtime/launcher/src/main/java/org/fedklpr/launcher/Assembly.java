package org.fedklpr.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * {@code fedklpr assemble FEATURE --out DIR|FILE.tar.gz}: a runtime that travels. It holds the
 * launcher and its class path, exactly the feature's bundles (and the Gogo shell's), the feature
 * file and a start script, and runs on a host with only a JDK 17: no Maven, no source tree, nothing
 * downloaded. This is how a site operator gets the site runtime.
 */
final class Assembly {
    /** What every assembled runtime's {@code fedklpr} script does, apart from the folder it names. */
    private static final String SCRIPT = """
            #!/usr/bin/env bash
            # fedklpr: an assembled FedKLPR runtime (feature %s). It needs a JDK 17 and nothing else.
            set -euo pipefail
            workdir="$PWD"
            home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
            # glibc returning memory to the OS after every step halves the engine's throughput: keep it.
            export MALLOC_MMAP_THRESHOLD_=4000000000
            export MALLOC_TRIM_THRESHOLD_=4000000000
            export MALLOC_TOP_PAD_=536870912
            export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
            # Huge pages for malloc'd memory (glibc 2.35+, ignored before): first touches of fresh memory cost less.
            export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
            export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
            # Nothing is downloaded, ever: DJL runs offline with natives from the bundled jar.
            export DJL_OFFLINE=true
            export OPT_OUT_TRACKING=true
            cache="${FEDKLPR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fedklpr}"
            cd "$home"
            exec java ${FEDKLPR_JAVA_OPTS:-} \\
              -Dfedklpr.home="$home" \\
              -Dfedklpr.workdir="$workdir" \\
              -Dfedklpr.bundles="$home/bundles" \\
              -Dfedklpr.defaultFeature="features/%s" \\
              -Dai.djl.offline=true \\
              "-Djava.util.logging.SimpleFormatter.format=%%4\\$s %%3\\$s: %%5\\$s%%6\\$s%%n" \\
              -Dfedklpr.cache="$cache" \\
              -DDJL_CACHE_DIR="$cache/djl" \\
              -cp "$home/launcher/classes:$home/launcher/lib/*" \\
              org.fedklpr.launcher.Main "$@"
            """;

    private Assembly() {
    }

    /**
     * @param launcher the launcher's build folder ({@code classes/}, {@code lib/})
     * @param extra bundles the runtime may add (the Gogo shell's)
     * @return what was written
     */
    static Path write(FeatureFile feature, List<FeatureFile.ResolvedBundle> bundles, List<FeatureFile.ResolvedBundle> extra,
            Path launcher, Path out) throws LaunchException {
        boolean archive = out.getFileName().toString().endsWith(".tar.gz");
        Path folder;
        try {
            if (archive) {
                folder = Files.createTempDirectory("fedklpr-assemble-");
            } else {
                if (Files.exists(out) && (!Files.isDirectory(out) || isNotEmpty(out))) {
                    throw new LaunchException("fedklpr assemble: --out " + out + " exists and is not an empty folder");
                }
                folder = Files.createDirectories(out);
            }
            copyTree(launcher.resolve("classes"), folder.resolve("launcher/classes"));
            copyTree(launcher.resolve("lib"), folder.resolve("launcher/lib"));
            Path bundleFolder = Files.createDirectories(folder.resolve("bundles"));
            for (FeatureFile.ResolvedBundle bundle : concat(bundles, extra)) {
                Files.copy(bundle.file(), bundleFolder.resolve(bundle.file().getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            String featureName = feature.path().getFileName().toString();
            Files.copy(feature.path(), Files.createDirectories(folder.resolve("features")).resolve(featureName));
            Path script = folder.resolve("fedklpr");
            Files.writeString(script, SCRIPT.formatted(feature.name(), featureName), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (!archive) {
                return folder;
            }
            tar(folder, out, out.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""));
            deleteTree(folder);
            return out;
        } catch (IOException e) {
            throw new LaunchException("fedklpr assemble: cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static List<FeatureFile.ResolvedBundle> concat(List<FeatureFile.ResolvedBundle> a,
            List<FeatureFile.ResolvedBundle> b) {
        List<FeatureFile.ResolvedBundle> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean isNotEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isPresent();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A gzipped tar of {@code folder}, every path under {@code top/}, the start script executable. */
    private static void tar(Path folder, Path out, String top) throws IOException {
        try (OutputStream file = Files.newOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path path : files.sorted().toList()) {
                    String name = top + "/" + folder.relativize(path).toString().replace('\\', '/');
                    TarArchiveEntry entry = new TarArchiveEntry(path.toFile(), Files.isDirectory(path) ? name + "/"
                            : name);
                    entry.setMode(Files.isDirectory(path) || path.getFileName().toString().equals("fedklpr") ? 0755
                            : 0644);
                    tar.putArchiveEntry(entry);
                    if (Files.isRegularFile(path)) {
                        Files.copy(path, tar);
                    }
                    tar.closeArchiveEntry();
                }
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
