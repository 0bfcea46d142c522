package org.fedklpr.shell;

import java.io.BufferedReader;
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
 * Reads re-ID features written by any system: one row per image, {@code pid,camid,f1,...,fd}, no
 * header, every row with the same d. Person {@code -1} marks junk; every other id, {@code 0}
 * included, is a person, as torchreid scores it (MSMT17's ids start at 0). Blank lines are
 * ignored; anything else that does not fit is an error that names the file, line and column.
 */
final class FeatureCsv {
    private FeatureCsv() {
    }

    static FeatureSet read(Path file) {
        List<float[]> features = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        int dimension = -1;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Row row = parse(line, file, lineNumber);
                if (dimension < 0) {
                    dimension = row.features.length;
                } else if (row.features.length != dimension) {
                    throw new FedklprException(file + " line " + lineNumber + ": " + row.features.length
                            + " feature values, but the rows before have " + dimension);
                }
                features.add(row.features);
                labels.add(new int[] {row.person, row.camera});
            }
        } catch (NoSuchFileException e) {
            throw new FedklprException("features CSV " + file + " does not exist");
        } catch (IOException e) {
            throw new FedklprException("cannot read features CSV " + file + ": " + e.getMessage(), e);
        }
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
            String field = fields.get(i + 2);
            try {
                features[i] = Float.parseFloat(field);
            } catch (NumberFormatException e) {
                throw new FedklprException(file + " line " + lineNumber + " column " + (i + 3) + ": '" + field
                        + "' is not a number");
            }
            if (!Float.isFinite(features[i])) {
                throw new FedklprException(file + " line " + lineNumber + " column " + (i + 3) + ": feature value "
                        + field + " is not finite");
            }
        }
        return new Row(person, camera, features);
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
