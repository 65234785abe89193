package tally.usage;

import tally.infra.BadInputException;
import tally.usage.UsageFileReader.BadRowValueException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The rows of a usage file in one format, as {@link RawRow}s: each format says how to read a column's
 * value in the current row as text, as an integer, or as a timestamp; the row is assembled here.
 */
abstract class UsageRows implements Iterator<RawRow>, Closeable {

    /** The columns Tally reads, by name, in {@link RawRow} order. */
    static final List<String> COLUMNS = List.of("event_id", "occurred_at", "kind", "account_id", "project_id",
            "resource_id", "conversation_id", "end_user_id", "platform", "provider", "model", "billing_mode",
            "tokens_input", "tokens_output", "iterations", "latency_ms", "status", "quantity");

    static final int EVENT_ID = 0, OCCURRED_AT = 1, KIND = 2, ACCOUNT_ID = 3, PROJECT_ID = 4, RESOURCE_ID = 5,
            CONVERSATION_ID = 6, END_USER_ID = 7, PLATFORM = 8, PROVIDER = 9, MODEL = 10, BILLING_MODE = 11,
            TOKENS_INPUT = 12, TOKENS_OUTPUT = 13, ITERATIONS = 14, LATENCY_MS = 15, STATUS = 16, QUANTITY = 17;

    /** The current row's value of a text column; null when null or absent. */
    abstract String text(int column);

    /**
     * The current row's value of an integer column; null when null or absent.
     *
     * @throws BadRowValueException when the value is not an integer
     */
    abstract Long integer(int column);

    /**
     * The current row's occurred_at as epoch micro-seconds; null when null or absent.
     *
     * @throws ArithmeticException when it does not fit
     */
    abstract Long occurredAtMicros();

    /** The current row; a value that cannot be converted makes it unconvertible (rejected as bad_value), not the file. */
    final RawRow row(String file, long sourceRow) {
        try {
            return new RawRow(file, sourceRow, text(EVENT_ID), occurredAtMicros(), text(KIND), text(ACCOUNT_ID),
                    text(PROJECT_ID), text(RESOURCE_ID), text(CONVERSATION_ID), text(END_USER_ID), text(PLATFORM),
                    text(PROVIDER), text(MODEL), text(BILLING_MODE), integer(TOKENS_INPUT), integer(TOKENS_OUTPUT),
                    integer(ITERATIONS), integer(LATENCY_MS), text(STATUS), integer(QUANTITY), null);
        } catch (BadRowValueException | ArithmeticException e) {
            return RawRow.unconvertible(file, sourceRow, text(EVENT_ID), e.getMessage());
        }
    }

    /** Closes what a constructor opened before it failed; the failure is what the caller hears about. */
    static void closeAfterFailure(Closeable resource) {
        try {
            resource.close();
        } catch (IOException ignored) {
            // the failure being thrown says more
        }
    }

    static BadRowValueException nonInteger(int column, String text) {
        return new BadRowValueException(COLUMNS.get(column) + " has a non-integer value '" + text + "'");
    }

    /** A file that cannot be read, after {@code lastRow} (the number of the last row read, 0 for none). */
    static BadInputException unreadable(Path file, long lastRow, Exception e) {
        return new BadInputException("input file " + file + " cannot be read"
                + (lastRow > 0 ? " after row " + lastRow : "") + ": " + e.getMessage(), e);
    }

    static BadInputException notATimestamp(Path file, String type) {
        return new BadInputException("input file " + file + ": column occurred_at has type " + type
                + ", not a timestamp (millis, micros or nanos)");
    }

    /** The unit of an occurred_at column, with or without the UTC-adjusted flag (a timestamp without zone is UTC). */
    enum TimestampUnit {
        MILLIS {
            @Override
            long toMicros(long value) {
                return Math.multiplyExact(value, 1000L);
            }
        },
        MICROS {
            @Override
            long toMicros(long value) {
                return value;
            }
        },
        NANOS {
            @Override
            long toMicros(long value) {
                return Math.floorDiv(value, 1000L);
            }
        };

        /** @throws ArithmeticException when the instant does not fit in epoch micro-seconds */
        abstract long toMicros(long value);
    }
}
