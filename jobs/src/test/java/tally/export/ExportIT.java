package tally.export;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tally.rating.RatedEvent;
import tally.testing.Cli;
import tally.testing.RatedEvents;
import tally.testing.SampleRun;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every export of the sample, Parquet and CSV, read back by DuckDB (an independent reader): row
 * counts, column types and sums against the ledger and usage tables in PostgreSQL.
 */
class ExportIT {

    static final String FROM = "2026-01-01";
    static final String TO = "2026-12-31";

    @TempDir
    static Path out;

    static Cli cli;
    static Connection pg;
    static Connection duck;

    @BeforeAll
    static void sample() throws SQLException {
        cli = SampleRun.cli();
        pg = DriverManager.getConnection(cli.dbUrl());
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** Exports one kind and returns the DuckDB relation that reads each of its files, by dataset. */
    static Map<String, String> export(String kind, ExportFormat format) {
        Path target = kind.equals("analytics") ? out.resolve(kind + "-" + format) : out.resolve(kind + format.extension());
        JsonNode result = cli.ok("export", kind, "--from", FROM, "--to", TO, "--format", format.name(), "--out", target.toString());
        Map<String, String> relations = new LinkedHashMap<>();
        for (JsonNode file : result.get("files")) {
            String dataset = file.get("dataset").asString();
            String path = file.get("path").asString();
            assertThat(Path.of(path)).exists();
            relations.put(dataset, format == ExportFormat.parquet ? "read_parquet('" + path + "')"
                    : "read_csv('" + path + "', header = true, columns = " + duckColumns(schemaOf(dataset)) + ")");
        }
        return relations;
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void ledgerHoldsEveryLegSummingToZeroAndTheWalletBalances(ExportFormat format) throws SQLException {
        String ledger = export("ledger", format).get("ledger_entry");
        assertThat(types(ledger)).containsEntry("amount_cents", "DECIMAL(18,0)").containsEntry("effective_date", "DATE")
                .containsEntry("written_at", "TIMESTAMP WITH TIME ZONE").containsEntry("leg", "INTEGER");
        assertThat(longOf(duck, "select count(*) from " + ledger)).isEqualTo(longOf(pg, "select count(*) from ledger_entry"));
        assertThat(decimalOf(duck, "select sum(amount_cents) from " + ledger)).isEqualByComparingTo("0");
        assertThat(longOf(duck, "select count(*) from (select txn_id from " + ledger + " group by 1 having sum(amount_cents) <> 0)"))
                .isZero();
        long acme = cli.ok("wallet", "balance", "--account", "acct_acme").get("balance_cents").asLong();
        assertThat(decimalOf(duck, "select sum(amount_cents) from " + ledger + " where ledger_account = 'wallet:acct_acme'"))
                .isEqualByComparingTo(BigDecimal.valueOf(acme));
        // Charges debited (collected from wallets + left uncollected) equal the ledger's debit charges.
        assertThat(decimalOf(duck, "select -sum(amount_cents) from " + ledger + " where txn_type = 'debit' and "
                + "(ledger_account like 'wallet:%' or ledger_account like 'receivable:%')"))
                .isEqualByComparingTo(BigDecimal.valueOf(longOf(pg, "select sum(charge_cents) from ledger_txn where type = 'debit'")));
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void invoiceLinesAddUpToTheirInvoicesTotals(ExportFormat format) throws SQLException {
        String lines = export("invoices", format).get("invoice_line");
        assertThat(types(lines)).containsEntry("amount_cents", "DECIMAL(18,0)").containsEntry("month", "DATE")
                .containsEntry("quantity", "BIGINT").containsEntry("issued_at", "TIMESTAMP WITH TIME ZONE");
        assertThat(longOf(duck, "select count(*) from " + lines)).isEqualTo(longOf(pg, "select count(*) from invoice_line"))
                .isPositive();
        assertThat(longOf(duck, "select count(*) from (select invoice_id from " + lines
                + " group by invoice_id, invoice_total_cents having sum(amount_cents) <> invoice_total_cents)")).isZero();
        long acmeTotal = cli.ok("invoice", "--account", "acct_acme", "--month", "2026-03").get("total_cents").asLong();
        assertThat(decimalOf(duck, "select sum(amount_cents) from " + lines + " where account_id = 'acct_acme'"))
                .isEqualByComparingTo(BigDecimal.valueOf(acmeTotal));
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void ratedEventsCarryExactDecimalMoney(ExportFormat format) throws SQLException {
        String rated = export("rated", format).get("rated_event");
        assertThat(types(rated)).containsEntry("cost_cents", "DECIMAL(24,6)").containsEntry("charge_cents", "DECIMAL(24,6)")
                .containsEntry("usage_date", "DATE").containsEntry("occurred_at", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("capped", "BOOLEAN").containsEntry("tokens_input", "BIGINT");
        List<RatedEvent> kept = RatedEvents.all(cli);
        assertThat(longOf(duck, "select count(*) from " + rated)).isEqualTo(kept.size());
        assertThat(decimalOf(duck, "select sum(cost_cents) from " + rated))
                .isEqualTo(BigDecimal.valueOf(kept.stream().mapToLong(RatedEvent::costUcents).sum(), 6));
        assertThat(decimalOf(duck, "select sum(charge_cents) from " + rated + " where kind = 'tool_call'"))
                .isEqualTo(BigDecimal.valueOf(kept.stream().filter(e -> e.kind().equals("tool_call")).mapToLong(RatedEvent::chargeUcents).sum(), 6));
        assertThat(types(rated)).containsEntry("conversation_id", "VARCHAR").containsEntry("provider", "VARCHAR")
                .containsEntry("model", "VARCHAR");
        assertThat(longOf(duck, "select count(*) from " + rated + " where kind = 'bot_message' and conversation_id is not null"
                + " and provider is not null and model is not null"))
                .isEqualTo(kept.stream().filter(e -> e.kind().equals("bot_message") && e.conversationId() != null
                        && e.provider() != null && e.model() != null).count()).isPositive();
        assertThat(longOf(duck, "select count(distinct model) from " + rated))
                .isEqualTo(kept.stream().map(RatedEvent::model).filter(java.util.Objects::nonNull).distinct().count()).isGreaterThan(1);
        assertThat(longOf(duck, "select count(*) from " + rated + " where event_id = 'evt-20260304-xlate' "
                + "and usage_date = DATE '2026-03-02' and cost_cents = 33.000000 and charge_cents = 0 and capped")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void analyticsRollupsChargeWhatTheLedgerDebited(ExportFormat format) throws SQLException {
        Map<String, String> analytics = export("analytics", format);
        assertThat(analytics).containsOnlyKeys("bot_daily", "agent_daily", "tool_daily");
        assertThat(types(analytics.get("bot_daily"))).containsEntry("total_cost_cents", "DECIMAL(18,0)")
                .containsEntry("total_cost_exact_cents", "DECIMAL(24,6)").containsEntry("usage_date", "DATE");
        assertThat(types(analytics.get("agent_daily"))).containsEntry("iterations_mean", "DECIMAL(12,3)")
                .containsEntry("latency_ms_p95", "BIGINT");
        for (String table : analytics.keySet()) {
            assertThat(longOf(duck, "select count(*) from " + analytics.get(table)))
                    .as(table).isEqualTo(longOf(pg, "select count(*) from " + table)).isPositive();
        }
        BigDecimal charged = decimalOf(duck, "select (select sum(total_charged_cents) from " + analytics.get("bot_daily")
                + ") + (select sum(charged_cents) from " + analytics.get("agent_daily")
                + ") + (select sum(gross_cents) from " + analytics.get("tool_daily") + ")");
        assertThat(charged).isEqualByComparingTo(BigDecimal.valueOf(
                longOf(pg, "select sum(charge_cents) from ledger_txn where type = 'debit'")));
        assertThat(decimalOf(duck, "select sum(creator_net_cents) from " + analytics.get("tool_daily")))
                .isEqualByComparingTo(BigDecimal.valueOf(longOf(pg, "select sum(amount_cents) from ledger_txn where type = 'earning'")));
    }

    @Test
    void aRangeSelectsByBusinessDayBothEndsIncluded() throws SQLException {
        Path file = out.resolve("one-day.parquet");
        JsonNode result = cli.ok("export", "rated", "--from", "2026-03-02", "--to", "2026-03-02", "--format", "parquet",
                "--out", file.toString());
        assertThat(result.at("/files/0/rows").asLong())
                .isEqualTo(RatedEvents.all(cli).stream().filter(e -> e.usageDate().toString().equals("2026-03-02")).count())
                .isEqualTo(longOf(duck, "select count(*) from read_parquet('" + file + "')"));
        assertThat(cli.run("export", "rated", "--from", "2026-03-02", "--to", "2026-03-01", "--format", "csv",
                "--out", file.toString()).exitCode()).isEqualTo(2);
        assertThat(cli.run("export", "ledger", "--from", "2026-03-02", "--to", "2026-03-02", "--format", "xlsx",
                "--out", file.toString()).exitCode()).as("an unknown format is bad usage").isEqualTo(2);
    }

    static Schema schemaOf(String dataset) {
        return Stream.of(ExportKind.values()).flatMap(k -> k.datasets().stream())
                .filter(d -> d.name().equals(dataset)).findFirst().orElseThrow().schema();
    }

    /** The DuckDB column types of a schema, for reading CSV with the types the Parquet file carries. */
    static String duckColumns(Schema schema) {
        return schema.getFields().stream().map(f -> "'" + f.name() + "': '" + duckType(ExportValues.valueSchema(f.schema())) + "'")
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String duckType(Schema type) {
        if (type.getLogicalType() instanceof LogicalTypes.Decimal d) {
            return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (type.getLogicalType() instanceof LogicalTypes.Date) {
            return "DATE";
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
            return "TIMESTAMPTZ";
        }
        return switch (type.getType()) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case INT -> "INTEGER";
            case BOOLEAN -> "BOOLEAN";
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    static Map<String, String> types(String relation) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("describe select * from " + relation)) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return types;
    }

    static long longOf(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static BigDecimal decimalOf(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}
