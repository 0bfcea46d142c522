package org.fedklpr.files;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.eval.FeatureSet;

/**
 * Re-ID features as CSV, one row per image and no header, every row with the same d: labelled rows
 * {@code pid,camid,f1,...,fd}, which {@code fedklpr evaluate} scores whoever wrote them, or rows
 * {@code path,f1,...,fd} for images whose names carry no labels. Person {@code -1} marks junk; every
 * other id, {@code 0} included, is a person, as torchreid scores it (MSMT17's ids start at 0). Blank
 * lines are ignored; anything else that does not fit is an error that names the file, line and
 * column. Values are written as Java's shortest decimal that reads back to the same float, so a
 * file read back holds exactly the features that were written.
 */
public final class FeatureCsv {
    private FeatureCsv() {
    }

    /** Features by image path, in file order. */
    public record PathFeatures(List<String> paths, float[][] features) {
    }

    /** Writes {@code set} as labelled rows {@code pid,camid,f1,...,fd}. */
    public static void writeLabelled(Path file, FeatureSet set) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < set.size(); i++) {
                out.write(set.personIds()[i] + "," + set.cameras()[i]);
                values(out, set.features()[i]);
            }
        } catch (IOException e) {
            throw new FedklprException("cannot write features CSV " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes rows {@code path,f1,...,fd}; a path holding a comma or a quote is quoted as CSV quotes it. */
    public static void writeByPath(Path file, List<String> paths, float[][] features) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                out.write(path.contains(",") || path.contains("\"") || path.startsWith(" ") || path.endsWith(" ")
                        ? "\"" + path.replace("\"", "\"\"") + "\"" : path);
                values(out, features[i]);
            }
        } catch (IOException e) {
            throw new FedklprException("cannot write features CSV " + file + ": " + e.getMessage(), e);
        }
    }

    private static void values(BufferedWriter out, float[] features) throws IOException {
        for (float value : features) {
            out.write(',');
            out.write(Float.toString(value));
        }
        out.write('\n');
    }

    /** Reads rows {@code path,f1,...,fd} as {@link #writeByPath} writes them. */
    public static PathFeatures readByPath(Path file) {
        List<String> paths = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        forEachLine(file, (line, lineNumber) -> {
            int end;
            String path;
            if (line.startsWith("\"")) {
                StringBuilder unquoted = new StringBuilder();
                int i = 1;
                while (i < line.length() && !(line.charAt(i) == '"' && (i + 1 == line.length()
                        || line.charAt(i + 1) != '"'))) {
                    unquoted.append(line.charAt(i));
                    i += line.charAt(i) == '"' ? 2 : 1;
                }
                path = unquoted.toString();
                end = i + 1;
            } else {
                end = line.indexOf(',');
                path = end < 0 ? line : line.substring(0, end);
            }
            if (end < 0 || end >= line.length() || line.charAt(end) != ',') {
                throw new FedklprException(file + " line " + lineNumber + ": expected path,f1,...,fd");
            }
            List<String> fields = split(line.substring(end + 1));
            float[] row = new float[fields.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = value(fields.get(i), file, lineNumber, i + 2);
            }
            if (!features.isEmpty() && row.length != features.get(0).length) {
                throw new FedklprException(file + " line " + lineNumber + ": " + row.length
                        + " feature values, but the rows before have " + features.get(0).length);
            }
            paths.add(path);
            features.add(row);
        });
        return new PathFeatures(List.copyOf(paths), features.toArray(new float[0][]));
    }

    /** Reads labelled rows {@code pid,camid,f1,...,fd}. */
    public static FeatureSet read(Path file) {
        List<float[]> features = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        forEachLine(file, (line, lineNumber) -> {
            Row row = parse(line, file, lineNumber);
            if (!features.isEmpty() && row.features.length != features.get(0).length) {
                throw new FedklprException(file + " line " + lineNumber + ": " + row.features.length
                        + " feature values, but the rows before have " + features.get(0).length);
            }
            features.add(row.features);
            labels.add(new int[] {row.person, row.camera});
        });
        if (features.isEmpty()) {
            throw new FedklprException(file + " has no rows (expected pid,camid,f1,...,fd per line)");
        }
        int[] persons = new int[labels.size()];
        int[] cameras = new int[labels.size()];
        for (int i = 0; i < persons.length; i++) {
            persons[i] = labels.get(i)[0];
            cameras[i] = labels.get(i)[1];
        }
        return new FeatureSet(features.toArray(new float[0][]), persons, cameras);
    }

    @FunctionalInterface
    private interface LineReader {
        void line(String line, int lineNumber);
    }

    /** Every line that is not blank, with its 1-based number. */
    private static void forEachLine(Path file, LineReader reader) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    reader.line(line, lineNumber);
                }
            }
        } catch (NoSuchFileException e) {
            throw new FedklprException("features CSV " + file + " does not exist");
        } catch (IOException e) {
            throw new FedklprException("cannot read features CSV " + file + ": " + e.getMessage(), e);
        }
    }

    private record Row(int person, int camera, float[] features) {
    }

    private static Row parse(String line, Path file, int lineNumber) {
        List<String> fields = split(line);
        if (fields.size() < 3) {
            throw new FedklprException(file + " line " + lineNumber + ": expected pid,camid,f1,...,fd but found "
                    + fields.size() + " field" + (fields.size() == 1 ? "" : "s"));
        }
        int person = integer(fields.get(0), file, lineNumber, 1, "pid");
        int camera = integer(fields.get(1), file, lineNumber, 2, "camid");
        if (person < -1) {
            throw new FedklprException(file + " line " + lineNumber + ": pid " + person
                    + " is invalid (expected -1 for junk or a person id >= 0)");
        }
        float[] features = new float[fields.size() - 2];
        for (int i = 0; i < features.length; i++) {
            features[i] = value(fields.get(i + 2), file, lineNumber, i + 3);
        }
        return new Row(person, camera, features);
    }

    private static float value(String field, Path file, int lineNumber, int column) {
        float value;
        try {
            value = Float.parseFloat(field);
        } catch (NumberFormatException e) {
            throw new FedklprException(file + " line " + lineNumber + " column " + column + ": '" + field
                    + "' is not a number");
        }
        if (!Float.isFinite(value)) {
            throw new FedklprException(file + " line " + lineNumber + " column " + column + ": feature value "
                    + field + " is not finite");
        }
        return value;
    }

    private static int integer(String field, Path file, int lineNumber, int column, String what) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            throw new FedklprException(file + " line " + lineNumber + " column " + column + ": " + what + " '" + field
                    + "' is not a whole number (rows are pid,camid,f1,...,fd with no header)");
        }
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ',') {
                fields.add(line.substring(start, i).trim());
                start = i + 1;
            }
        }
        return fields;
    }
}
