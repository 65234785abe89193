package tally.usage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Row checks that need no reference data; a reject names its file, row, event id and reason. */
class RowValidatorTest {

    static final LocalDate ARRIVAL = LocalDate.of(2026, 3, 2);
    static final String FILE = "usage/2026-03-02/bots.parquet";
    static final long ROW = 42;

    final RowValidator validator = new RowValidator(ARRIVAL, RowValidator.DEFAULT_LATENESS);

    /** A row as the reader hands it over; starts as a valid successful bot message. */
    static final class Row {
        String eventId = "evt-1";
        Long occurredAtMicros = micros("2026-03-02T10:15:30.123456Z");
        String kind = "bot_message";
        String accountId = "acct-1";
        String projectId = "proj-1";
        String resourceId = "bot-1";
        String conversationId = "conv-1";
        String endUserId = "user-1";
        String platform = "telegram";
        String provider = "openai";
        String model = "gpt-4o";
        String billingMode = "wallet";
        Long tokensInput = 1000L;
        Long tokensOutput = 500L;
        Long iterations;
        Long latencyMs = 800L;
        String status = "success";
        Long quantity;
        String badValue;

        RawRow build() {
            return new RawRow(FILE, ROW, eventId, occurredAtMicros, kind, accountId, projectId, resourceId,
                    conversationId, endUserId, platform, provider, model, billingMode, tokensInput, tokensOutput,
                    iterations, latencyMs, status, quantity, badValue);
        }
    }

    static Row row(Consumer<Row> change) {
        Row row = new Row();
        change.accept(row);
        return row;
    }

    static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    RowOutcome.Rejected rejected(Row row) {
        RowOutcome outcome = validator.validate(row.build());
        assertThat(outcome).isInstanceOf(RowOutcome.Rejected.class);
        return (RowOutcome.Rejected) outcome;
    }

    UsageEvent accepted(Row row) {
        RowOutcome outcome = validator.validate(row.build());
        assertThat(outcome).isInstanceOf(RowOutcome.Accepted.class);
        return ((RowOutcome.Accepted) outcome).event();
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                arguments("unconvertible value", row(r -> r.badValue = "tokens_input: 'abc' is not a number"),
                        "bad_value", "tokens_input: 'abc' is not a number"),
                arguments("no event id", row(r -> r.eventId = null), "missing_event_id", "event_id is required"),
                arguments("blank event id", row(r -> r.eventId = "  "), "missing_event_id", "event_id is required"),
                arguments("no occurred_at", row(r -> r.occurredAtMicros = null), "missing_field", "occurred_at is required"),
                arguments("no kind", row(r -> r.kind = ""), "missing_field", "kind is required"),
                arguments("unknown kind", row(r -> r.kind = "sms_message"), "unknown_kind", "kind 'sms_message'"),
                arguments("upper-case kind", row(r -> r.kind = "BOT_MESSAGE"), "unknown_kind", "kind 'BOT_MESSAGE'"),
                arguments("no account", row(r -> r.accountId = null), "missing_field", "account_id is required"),
                arguments("no status", row(r -> r.status = null), "missing_field", "status is required"),
                arguments("bad status", row(r -> r.status = "timeout"), "bad_status", "status 'timeout' is not success or failed"),
                arguments("bot without resource", row(r -> r.resourceId = " "), "missing_field", "resource_id is required"),
                arguments("tool call without resource", row(r -> {
                    r.kind = "tool_call";
                    r.resourceId = null;
                }), "missing_field", "resource_id is required"),
                arguments("snapshot without project", row(r -> {
                    r.kind = "storage_snapshot";
                    r.projectId = null;
                    r.quantity = 1_000_000L;
                }), "missing_field", "project_id is required"),
                arguments("bot without provider", row(r -> r.provider = null), "missing_field", "provider is required"),
                arguments("agent without model", row(r -> {
                    r.kind = "agent_run";
                    r.model = "";
                }), "missing_field", "model is required"),
                arguments("bot without input tokens", row(r -> r.tokensInput = null), "missing_field", "tokens_input is required"),
                arguments("bot without output tokens", row(r -> r.tokensOutput = null), "missing_field", "tokens_output is required"),
                arguments("negative input tokens", row(r -> r.tokensInput = -1L), "negative_tokens", "must not be negative"),
                arguments("negative output tokens", row(r -> r.tokensOutput = -500L), "negative_tokens", "must not be negative"),
                arguments("negative tokens on a counter", row(r -> {
                    r.kind = "api_request";
                    r.tokensInput = -3L;
                }), "negative_tokens", "must not be negative"),
                arguments("negative quantity", row(r -> {
                    r.kind = "api_request";
                    r.quantity = -1L;
                }), "negative_quantity", "quantity must not be negative"),
                arguments("unknown billing mode", row(r -> r.billingMode = "credit_card"), "bad_billing_mode",
                        "billing_mode 'credit_card' is not wallet, byok or plan_quota"),
                arguments("too late", row(r -> r.occurredAtMicros = micros("2026-01-01T00:00:00Z")), "too_late",
                        "before the lateness window"),
                arguments("in the future", row(r -> r.occurredAtMicros = micros("2026-03-04T00:00:00Z")), "in_future",
                        "more than 1 hour after the end of its arrival day"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badRows")
    void rejectsWithReasonFileRowAndEventId(String what, Row row, String reason, String detail) {
        RowOutcome.Rejected rejected = rejected(row);
        assertThat(rejected.reason()).isEqualTo(reason);
        assertThat(rejected.detail()).contains(detail);
        assertThat(rejected.sourceFile()).isEqualTo(FILE);
        assertThat(rejected.sourceRow()).isEqualTo(ROW);
        assertThat(rejected.eventId()).isEqualTo(reason.equals("missing_event_id") ? null : "evt-1");
    }

    /** Arrival 2026-03-02: the window is [2026-01-26T00:00Z (35 days before the day), 2026-03-03T01:00Z]. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-01-25T23:59:59.999999Z, too_late",
            "2026-01-26T00:00:00Z,        accepted",
            "2026-03-02T00:00:00Z,        accepted",
            "2026-03-02T23:59:59.999999Z, accepted",
            "2026-03-03T00:59:59Z,        accepted",
            "2026-03-03T01:00:00Z,        accepted",
            "2026-03-03T01:00:00.000001Z, in_future",
            "1970-01-01T00:00:00Z,        too_late",
    })
    void latenessWindowBoundaries(String occurredAt, String expected) {
        RowOutcome outcome = validator.validate(row(r -> r.occurredAtMicros = micros(occurredAt)).build());
        String result = outcome instanceof RowOutcome.Rejected rejected ? rejected.reason() : "accepted";
        assertThat(result).isEqualTo(expected);
    }

    @Test
    void latenessWindowIsAParameter() {
        RowValidator weekly = new RowValidator(ARRIVAL, Duration.ofDays(7));
        assertThat(weekly.validate(row(r -> r.occurredAtMicros = micros("2026-02-23T00:00:00Z")).build()))
                .isInstanceOf(RowOutcome.Accepted.class);
        assertThat(weekly.validate(row(r -> r.occurredAtMicros = micros("2026-02-22T23:59:59Z")).build()))
                .isInstanceOfSatisfying(RowOutcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo("too_late"));
    }

    @Test
    void anAcceptedBotMessageKeepsEveryValueToTheMicrosecond() {
        UsageEvent event = accepted(new Row());
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-03-02T10:15:30.123456Z"));
        assertThat(event.usageDate()).isEqualTo(ARRIVAL);
        assertThat(event.kind()).isEqualTo(UsageKind.BOT_MESSAGE);
        assertThat(event.eventId()).isEqualTo("evt-1");
        assertThat(event.sourceFile()).isEqualTo(FILE);
        assertThat(event.sourceRow()).isEqualTo(ROW);
        assertThat(event.tokensInput()).isEqualTo(1000);
        assertThat(event.tokensOutput()).isEqualTo(500);
        assertThat(event.billingMode()).isEqualTo("wallet");
        assertThat(event.success()).isTrue();
    }

    @Test
    void aCounterRowDefaultsToQuantityOneAndZeroTokens() {
        UsageEvent event = accepted(row(r -> {
            r.kind = "logic_engine_call";
            r.resourceId = null;
            r.provider = null;
            r.model = null;
            r.tokensInput = null;
            r.tokensOutput = null;
            r.billingMode = null;
            r.status = "failed";
        }));
        assertThat(event.quantity()).isEqualTo(1);
        assertThat(event.tokensInput()).isZero();
        assertThat(event.tokensOutput()).isZero();
        assertThat(event.billingMode()).isNull();
        assertThat(event.success()).isFalse();
        assertThat(event.resourceId()).isNull();
    }

    @Test
    void zeroTokensAndQuantityAreValid() {
        assertThat(accepted(row(r -> {
            r.tokensInput = 0L;
            r.tokensOutput = 0L;
            r.quantity = 0L;
        })).quantity()).isZero();
    }

    /**
     * Main-code bug (kept failing on purpose): an int64 iterations value beyond int range (the
     * schema's column is int, but readers match columns by name and other writers may use int64)
     * makes RowValidator.validate throw ArithmeticException from Math.toIntExact instead of
     * rejecting the row, so one bad row fails the whole run rather than going to the rejects file.
     */
    @Test
    void anIterationCountTooLargeForItsColumnIsRejectedNotACrash() {
        RawRow huge = row(r -> {
            r.kind = "agent_run";
            r.resourceId = "agent-1";
            r.iterations = 3_000_000_000L;
        }).build();
        assertThatCode(() -> validator.validate(huge)).as("validate must not throw").doesNotThrowAnyException();
        assertThat(validator.validate(huge)).isInstanceOfSatisfying(RowOutcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo("bad_value");
            assertThat(r.detail()).contains("iterations");
        });
    }

    @Test
    void occurredAtBeforeTheEpochIsReadCorrectly() {
        RowValidator oldDays = new RowValidator(LocalDate.of(1969, 12, 31), RowValidator.DEFAULT_LATENESS);
        RowOutcome outcome = oldDays.validate(row(r -> r.occurredAtMicros = -1L).build());
        assertThat(outcome).isInstanceOfSatisfying(RowOutcome.Accepted.class, a ->
                assertThat(a.event().occurredAt()).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z")));
    }
}
