package tally.export;

import org.springframework.jdbc.core.JdbcTemplate;
import tally.infra.DayRange;
import tally.rating.RatedEvent;
import tally.rating.RatedEventReader;
import tally.rating.RatedSegments;

import java.sql.Date;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Where an exported dataset's rows come from: each row as a lookup of its values by field name, in export order. */
@FunctionalInterface
interface ExportRows {

    void forEach(JdbcTemplate jdbc, DayRange range, Consumer<Function<String, Object>> row);

    /** The rows of a query with two parameters, the range's first and last day. */
    static ExportRows query(String sql) {
        return (jdbc, range, row) -> jdbc.query(sql, rs -> {
            row.accept(field -> {
                try {
                    return rs.getObject(field);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("column " + field + " of " + sql, e);
                }
            });
        }, Date.valueOf(range.from()), Date.valueOf(range.to()));
    }

    /** The rated events of the range's usage days, segment by segment (one in memory at a time). */
    static ExportRows ratedEvents() {
        return (jdbc, range, row) -> {
            List<RatedSegments.Key> segments = RatedSegments.overlapping(jdbc, range.from(), range.to());
            long from = range.from().toEpochDay();
            long to = range.to().toEpochDay();
            for (RatedSegments.Key key : segments) {
                RatedEventReader.forEach(RatedSegments.data(jdbc, key), e -> {
                    if (e.usageEpochDay() >= from && e.usageEpochDay() <= to) {
                        row.accept(field -> value(e, field));
                    }
                });
            }
        };
    }

    /** A rated event's value of a rated_event.avsc field, as the database would give it (money: micro-cents). */
    private static Object value(RatedEvent e, String field) {
        return switch (field) {
            case "event_id" -> e.eventId();
            case "arrival_date" -> e.arrivalDate();
            case "occurred_at" -> e.occurredAt();
            case "usage_date" -> e.usageDate();
            case "kind" -> e.kind();
            case "account_id" -> e.accountId();
            case "payer_account_id" -> e.payerAccountId();
            case "resource_id" -> e.resourceId();
            case "billing_mode" -> e.billingMode();
            case "status" -> e.status();
            case "tokens_input" -> e.tokensInput();
            case "tokens_output" -> e.tokensOutput();
            case "quantity" -> e.quantity();
            case "cost_cents" -> e.costUcents();
            case "charge_cents" -> e.chargeUcents();
            case "capped" -> e.capped();
            case "posting_id" -> e.postingId();
            case "rules_version" -> e.rulesVersion();
            case "conversation_id" -> e.conversationId();
            case "provider" -> e.provider();
            case "model" -> e.model();
            default -> throw new IllegalArgumentException("rated_event has no field " + field);
        };
    }
}
