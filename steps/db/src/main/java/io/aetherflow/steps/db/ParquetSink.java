package io.aetherflow.steps.db;

import blue.strategic.parquet.ParquetWriter;
import io.aetherflow.api.support.PyRepr;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes rows to a Parquet file (parquet-java through parquet-floor, Snappy-compressed) with the
 * reference's schema: per column dtype {@code int} INT64, {@code float} DOUBLE, {@code bool} BOOLEAN,
 * {@code date} DATE (INT32), {@code datetime} TIMESTAMP(MILLIS, not adjusted to UTC), anything else
 * STRING; every column optional. In a non-string column an empty string is null.
 */
final class ParquetSink implements AutoCloseable {

    /** A column's Parquet type. */
    enum Kind { INT, FLOAT, BOOL, DATE, DATETIME, STRING }

    private final List<String> names;
    private final Kind[] kinds;
    private final ParquetWriter<Object[]> writer;
    private long row;

    /**
     * @param file the file to create
     * @param columns the column names
     * @param dtypes column name to dtype ({@code int}, {@code float}, ...); absent columns are strings
     * @throws IOException when the file cannot be created
     */
    ParquetSink(Path file, List<String> columns, Map<String, String> dtypes) throws IOException {
        this.names = columns;
        this.kinds = new Kind[columns.size()];
        List<Type> fields = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String dt = dtypes.getOrDefault(columns.get(i), "string");
            kinds[i] = switch (dt == null ? "string" : dt.toLowerCase(Locale.ROOT)) {
                case "int" -> Kind.INT;
                case "float" -> Kind.FLOAT;
                case "bool" -> Kind.BOOL;
                case "date" -> Kind.DATE;
                case "datetime" -> Kind.DATETIME;
                default -> Kind.STRING;
            };
            String n = columns.get(i);
            fields.add(switch (kinds[i]) {
                case INT -> Types.optional(PrimitiveTypeName.INT64).named(n);
                case FLOAT -> Types.optional(PrimitiveTypeName.DOUBLE).named(n);
                case BOOL -> Types.optional(PrimitiveTypeName.BOOLEAN).named(n);
                case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(n);
                case DATETIME -> Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(n);
                case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(n);
            });
        }
        MessageType schema = new MessageType("schema", fields);
        this.writer = ParquetWriter.writeFile(schema, file.toFile(), (values, out) -> {
            for (int i = 0; i < kinds.length; i++) {
                Object v = i < values.length ? values[i] : null;
                if (v != null) {
                    out.write(names.get(i), v);
                }
            }
        });
    }

    /**
     * Writes one row.
     *
     * @param row the values in column order
     * @throws IOException when writing fails
     * @throws IllegalArgumentException a value does not fit its column's type (the message names both)
     */
    void write(Object[] row) throws IOException {
        this.row++;
        Object[] converted = new Object[kinds.length];
        for (int i = 0; i < kinds.length && i < row.length; i++) {
            converted[i] = convert(i, row[i]);
        }
        writer.write(converted);
    }

    private Object convert(int i, Object v) {
        if (v == null || (kinds[i] != Kind.STRING && v instanceof String s && s.isEmpty())) {
            return null;
        }
        try {
            return switch (kinds[i]) {
                case STRING -> Values.text(v);
                case INT -> toLong(v);
                case FLOAT -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
                case BOOL -> v instanceof Boolean b ? b
                        : v instanceof Number n ? n.doubleValue() != 0 : parseBool(v.toString());
                case DATE -> (int) toDate(v).toEpochDay();
                case DATETIME -> v instanceof LocalDateTime dt ? dt.toInstant(ZoneOffset.UTC).toEpochMilli()
                        : v instanceof OffsetDateTime odt ? odt.toInstant().toEpochMilli()
                        : v instanceof LocalDate d ? d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli()
                        : parseDateTime(v.toString().trim());
            };
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("row " + row + " column '" + names.get(i) + "' (dtype "
                    + kinds[i].name().toLowerCase(Locale.ROOT) + "): cannot store " + PyRepr.repr(v)
                    + "; fix the dtypes input or cast the column in the SQL");
        }
    }

    private static Long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (v instanceof BigDecimal d) {
            return d.longValueExact();
        }
        if (v instanceof Double d) {
            return new BigDecimal(d).longValueExact();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return Long.parseLong(v.toString().trim());
    }

    private static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime dt) {
            return dt.toLocalDate();
        }
        if (v instanceof OffsetDateTime odt) {
            return odt.toLocalDate();
        }
        String t = v.toString().trim();
        return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
    }

    private static boolean parseBool(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "t", "yes" -> true;
            case "false", "0", "f", "no" -> false;
            default -> throw new NumberFormatException("not a boolean: " + s);
        };
    }

    private static long parseDateTime(String s) {
        String t = s.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
