package org.fedklpr.settings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * The value types of the OSGi metatype, with what a user may write for each: reading is exact, so a
 * value is refused rather than rounded, wrapped or guessed ({@code 1.5} is not an Integer,
 * {@code yes} is not a Boolean, {@code NaN} is not a number a setting can take).
 */
enum ValueType {
    STRING(1, "text", "String"),
    LONG(2, "a whole number", "Long"),
    INTEGER(3, "a whole number", "Integer"),
    SHORT(4, "a whole number", "Short"),
    CHARACTER(5, "one character", "Character"),
    BYTE(6, "a whole number", "Byte"),
    DOUBLE(7, "a finite number", "Double"),
    FLOAT(8, "a finite number", "Float"),
    BOOLEAN(11, "true or false", "Boolean"),
    PASSWORD(12, "text", "Password");

    /** The code of {@code org.osgi.service.metatype.AttributeDefinition}. */
    private final int code;
    private final String expected;
    private final String javaName;

    ValueType(int code, String expected, String javaName) {
        this.code = code;
        this.expected = expected;
        this.javaName = javaName;
    }

    static ValueType ofCode(int code) {
        for (ValueType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        // Metatype 1.0's BIGINTEGER/BIGDECIMAL: not used by DS configuration types.
        return STRING;
    }

    /**
     * The type a feature file names after a key ({@code rounds:Integer}, {@code sizes:int[]},
     * {@code names:Collection<String>}), without the multi-value marker.
     *
     * @return null if the name is not a Config Admin type
     */
    static ValueType ofHint(String hint) {
        String element = hint.endsWith("[]") ? hint.substring(0, hint.length() - 2)
                : hint.startsWith("Collection<") && hint.endsWith(">") ? hint.substring(11, hint.length() - 1)
                : hint.equals("Collection") ? "String" : hint;
        return switch (element) {
            case "String" -> STRING;
            case "Long", "long" -> LONG;
            case "Integer", "int" -> INTEGER;
            case "Short", "short" -> SHORT;
            case "Character", "char" -> CHARACTER;
            case "Byte", "byte" -> BYTE;
            case "Double", "double" -> DOUBLE;
            case "Float", "float" -> FLOAT;
            case "Boolean", "boolean" -> BOOLEAN;
            default -> null;
        };
    }

    static boolean hintIsMultiple(String hint) {
        return hint.endsWith("[]") || hint.startsWith("Collection");
    }

    /** What a user must write, for messages: "a whole number (Integer)". */
    String expected() {
        return expected + " (" + javaName + ")";
    }

    String javaName() {
        return javaName;
    }

    boolean isNumber() {
        return this != STRING && this != PASSWORD && this != CHARACTER && this != BOOLEAN;
    }

    /**
     * One value, exactly as this type holds it.
     *
     * @param value text (read as this type), a Number, a Boolean or a Character
     * @throws IllegalArgumentException saying why the value is not of this type
     */
    Object read(Object value) {
        if (value instanceof List<?> || value != null && value.getClass().isArray()) {
            throw new IllegalArgumentException("expected one value, " + expected() + ", got a list");
        }
        return switch (this) {
            case STRING, PASSWORD -> {
                if (!(value instanceof String text)) {
                    throw new IllegalArgumentException("expected " + expected() + " in quotes, got " + value);
                }
                yield text;
            }
            case CHARACTER -> {
                String text = String.valueOf(value);
                if (text.length() != 1) {
                    throw new IllegalArgumentException("expected " + expected() + ", got '" + text + "'");
                }
                yield text.charAt(0);
            }
            case BOOLEAN -> {
                if (value instanceof Boolean bool) {
                    yield bool;
                }
                String text = value instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : "";
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException("expected " + expected() + ", got '" + value + "'");
                }
                yield Boolean.valueOf(text);
            }
            case LONG, INTEGER, SHORT, BYTE -> whole(number(value));
            case DOUBLE, FLOAT -> floating(number(value));
        };
    }

    private BigDecimal number(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("expected " + expected() + ", got " + value);
            }
            return new BigDecimal(Double.toString(d));
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        String text = value instanceof String s ? s.trim() : null;
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("expected " + expected() + ", got "
                    + (text == null ? String.valueOf(value) : "nothing"));
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + expected() + ", got '" + text + "'");
        }
    }

    private Object whole(BigDecimal number) {
        BigInteger exact;
        try {
            exact = number.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("expected " + expected() + ", got " + number.toPlainString());
        }
        long min = switch (this) {
            case INTEGER -> Integer.MIN_VALUE;
            case SHORT -> Short.MIN_VALUE;
            case BYTE -> Byte.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
        long max = switch (this) {
            case INTEGER -> Integer.MAX_VALUE;
            case SHORT -> Short.MAX_VALUE;
            case BYTE -> Byte.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
        if (exact.compareTo(BigInteger.valueOf(min)) < 0 || exact.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException("expected " + expected() + " from " + min + " to " + max + ", got "
                    + exact);
        }
        long value = exact.longValue();
        return switch (this) {
            case INTEGER -> (int) value;
            case SHORT -> (short) value;
            case BYTE -> (byte) value;
            default -> value;
        };
    }

    private Object floating(BigDecimal number) {
        double value = number.doubleValue();
        if (this == FLOAT) {
            float single = (float) value;
            if (!Float.isFinite(single)) {
                throw new IllegalArgumentException("expected " + expected() + ", got " + number + " (too large)");
            }
            return single;
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("expected " + expected() + ", got " + number + " (too large)");
        }
        return value;
    }

    /** The typed values as the array Config Admin stores for a multi-valued key. */
    Object array(List<Object> values) {
        int n = values.size();
        switch (this) {
            case LONG -> {
                long[] array = new long[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Long) values.get(i);
                }
                return array;
            }
            case INTEGER -> {
                int[] array = new int[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Integer) values.get(i);
                }
                return array;
            }
            case SHORT -> {
                short[] array = new short[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Short) values.get(i);
                }
                return array;
            }
            case BYTE -> {
                byte[] array = new byte[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Byte) values.get(i);
                }
                return array;
            }
            case DOUBLE -> {
                double[] array = new double[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Double) values.get(i);
                }
                return array;
            }
            case FLOAT -> {
                float[] array = new float[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Float) values.get(i);
                }
                return array;
            }
            case BOOLEAN -> {
                boolean[] array = new boolean[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Boolean) values.get(i);
                }
                return array;
            }
            case CHARACTER -> {
                char[] array = new char[n];
                for (int i = 0; i < n; i++) {
                    array[i] = (Character) values.get(i);
                }
                return array;
            }
            default -> {
                return values.stream().map(String.class::cast).toArray(String[]::new);
            }
        }
    }
}
