package tally.export;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Turns a database value into the value of an Avro field, and that value into Avro's physical form
 * (Parquet) or CSV text. Pure functions of the field schema; the one convention: an integer feeding
 * a decimal field is its unscaled value (cents for scale 0, micro-cents for scale 6), so money is
 * scaled exactly and never rounded here.
 */
public final class ExportValues {

    private static final Conversions.DecimalConversion DECIMAL = new Conversions.DecimalConversion();

    private ExportValues() {
    }

    /** The field's value type, ignoring a {@code ["null", T]} union. */
    static Schema valueSchema(Schema field) {
        if (field.getType() != Schema.Type.UNION) {
            return field;
        }
        return field.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }

    /**
     * A JDBC value as the field's logical value: String, Long, Integer, Boolean, LocalDate, Instant or
     * BigDecimal (with the field's scale), or null.
     */
    public static Object fromDatabase(Schema field, Object value) {
        if (value == null) {
            if (field.getType() != Schema.Type.UNION) {
                throw new IllegalArgumentException("null for non-nullable type " + field);
            }
            return null;
        }
        Schema type = valueSchema(field);
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            BigDecimal exact = value instanceof BigDecimal b ? b : BigDecimal.valueOf(((Number) value).longValue(), decimal.getScale());
            return exact.setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
        }
        if (logical instanceof LogicalTypes.Date) {
            return value instanceof Date d ? d.toLocalDate() : (LocalDate) value;
        }
        if (logical instanceof LogicalTypes.TimestampMicros) {
            return value instanceof Timestamp t ? t.toInstant() : (Instant) value;
        }
        return switch (type.getType()) {
            case STRING -> value.toString();
            case LONG -> ((Number) value).longValue();
            case INT -> Math.toIntExact(((Number) value).longValue());
            case BOOLEAN -> (Boolean) value;
            default -> throw new IllegalArgumentException("unsupported export type " + type);
        };
    }

    /** A logical value as Avro's physical value (days, micros, decimal bytes). */
    public static Object toAvro(Schema field, Object value) {
        if (value == null) {
            return null;
        }
        Schema type = valueSchema(field);
        if (value instanceof BigDecimal decimal) {
            return DECIMAL.toBytes(decimal, type, type.getLogicalType());
        }
        if (value instanceof LocalDate date) {
            return Math.toIntExact(date.toEpochDay());
        }
        if (value instanceof Instant instant) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
        }
        return value;
    }

    /** A logical value as CSV text: ISO dates and instants, plain decimals with their fixed scale, empty for null. */
    public static String toCsv(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }
}
