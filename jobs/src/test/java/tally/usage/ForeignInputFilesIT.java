package tally.usage;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tally.sample.UsageParquetWriter.Row;
import tally.testing.Cli;
import tally.testing.Event;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT.md, Raw usage logs: files written by other tools are read by column name, whatever their
 * timestamp unit and zone flag, integer width, string encoding, column order or extra columns. The
 * same events written by DuckDB, or as an Avro container file, rate and post exactly as when Tally
 * writes them.
 */
class ForeignInputFilesIT {

    static final String DAY = "2026-03-02";

    /** Every charged kind, a byok and a failed message, a counter; whole seconds (Avro below carries millis). */
    static final List<Event> EVENTS = events();

    /** The same events written by Tally and run once for the class: what every foreign file must match. */
    @TempDir
    static Path baselineDir;
    static Run tallyWritten;

    @TempDir
    Path tmp;

    /** Snappy is DuckDB's default compression (and Spark's and pyarrow's); uncompressed is what Tally writes. */
    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"snappy", "uncompressed"})
    void duckDbParquetWithNaiveMicrosInt32ColumnsDictionaryStringsAndAnExtraColumnRatesLikeTallyParquet(String compression)
            throws SQLException {
        Path file = partition("duckdb").resolve("events.parquet");
        writeWithDuckDb(file, compression);

        Map<String, String> schema = parquetColumns(file);
        assertThat(schema.get("occurred_at")).contains("isAdjustedToUTC=0").contains("MICROS=MicroSeconds()");
        assertThat(schema.get("tokens_input")).startsWith("INT32");
        assertThat(schema.get("latency_ms")).startsWith("INT32");
        assertThat(schema).containsKey("region");
        assertThat(encodings(file)).extractingByKeys("kind", "account_id", "model", "status")
                .allMatch(e -> e.contains("DICTIONARY"));

        assertRatesLikeTallyWrittenParquet(tmp.resolve("duckdb"));
    }

    @Test
    void avroContainerFileWithMillisTimestampsRatesLikeTallyParquet() throws IOException {
        writeAvro(partition("avro").resolve("events.avro"));

        assertRatesLikeTallyWrittenParquet(tmp.resolve("avro"));
    }

    /** Runs the sample reference data and the day from {@code input} on a fresh database and compares with Tally's own file. */
    private void assertRatesLikeTallyWrittenParquet(Path input) {
        Run expected = tallyWritten();
        Run actual = run(input, tmp.resolve("home"));

        assertThat(expected.summary.at("/events/rated").asLong()).isEqualTo(EVENTS.size());
        assertThat(expected.summary.at("/money/charges_computed_cents").asLong()).isPositive();
        assertThat(actual.summary.get("events")).isEqualTo(expected.summary.get("events"));
        assertThat(actual.summary.get("money")).isEqualTo(expected.summary.get("money"));
        assertThat(actual.ledgerHash).isEqualTo(expected.ledgerHash);
        assertThat(rowsInOnlyOne(actual.ratedEvents, expected.ratedEvents)).as("rated events that differ").isEmpty();
    }

    record Run(JsonNode summary, String ledgerHash, Path ratedEvents) {
    }

    private static synchronized Run tallyWritten() {
        if (tallyWritten == null) {
            Event.writeParquet(baselineDir.resolve("input"), DAY, "events.parquet", EVENTS);
            tallyWritten = run(baselineDir.resolve("input"), baselineDir.resolve("home"));
        }
        return tallyWritten;
    }

    private static Run run(Path input, Path home) {
        Cli cli = new Cli(home);
        cli.importSample();
        JsonNode summary = cli.nightly(DAY, input);
        return new Run(summary, cli.ok("ledger", "verify").get("hash").asString(),
                home.resolve("runs/nightly/" + DAY + "/rated-events/*.parquet"));
    }

    private Path partition(String input) {
        return tmp.resolve(input).resolve("date=" + DAY);
    }

    private static List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = "evt-%02d".formatted(i);
            String at = "2026-03-02T%02d:%02d:%02dZ".formatted(i, (i * 7) % 60, (i * 13) % 60);
            Event event = switch (i % 6) {
                case 0 -> Event.bot(id, at, "acct_acme", "bot_support").model("openai", "gpt-4o").tokens(1_234 + i, 567);
                case 1 -> Event.bot(id, at, "acct_initech", "bot_byok").model("anthropic", "claude-sonnet-4-6").tokens(3_000, 800 + i);
                case 2 -> Event.bot(id, at, "acct_globex", "bot_globex").model("google", "gemini-2.5-pro").tokens(900, 90).failed();
                case 3 -> Event.agentRun(id, at, "acct_acme", "aep_invoice").model("google", "gemini-2.5-flash").tokens(2_000, 300);
                case 4 -> Event.toolCall(id, at, "acct_globex", i < 12 ? "tool_scrape" : "tool_translate");
                default -> Event.apiRequest(id, at, "acct_hooli");
            };
            events.add(event);
        }
        return List.copyOf(events);
    }

    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** As a DuckDB user would: a table of naive TIMESTAMP and 32-bit INTEGER columns in its own order, plus a column Tally does not know. */
    private static void writeWithDuckDb(Path file, String compression) throws SQLException {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("""
                    create table usage (status varchar, region varchar, event_id varchar, occurred_at timestamp,
                        kind varchar, account_id varchar, project_id varchar, resource_id varchar, conversation_id varchar,
                        end_user_id varchar, platform varchar, provider varchar, model varchar, billing_mode varchar,
                        tokens_input integer, tokens_output integer, iterations integer, latency_ms integer, quantity integer)""");
            try (PreparedStatement insert = duck.prepareStatement(
                    "insert into usage values (?, 'eu-west', ?, cast(? as timestamp), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Event event : EVENTS) {
                    Row r = event.row();
                    Object[] values = {r.status(), r.eventId(), NAIVE.format(LocalDateTime.ofInstant(r.occurredAt(), ZoneOffset.UTC)),
                            r.kind(), r.accountId(), r.projectId(), r.resourceId(), r.conversationId(), r.endUserId(),
                            r.platform(), r.provider(), r.model(), r.billingMode(), toInt(r.tokensInput()),
                            toInt(r.tokensOutput()), r.iterations(), toInt(r.latencyMs()), toInt(r.quantity())};
                    for (int i = 0; i < values.length; i++) {
                        insert.setObject(i + 1, values[i]);
                    }
                    insert.execute();
                }
            }
            Files.createDirectories(file.getParent());
            s.execute("copy (select * from usage order by event_id) to '" + file + "' (format parquet, compression " + compression + ")");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Integer toInt(Long value) {
        return value == null ? null : Math.toIntExact(value);
    }

    /** Column name to physical type and logical type, as DuckDB reads the file's schema. */
    private static Map<String, String> parquetColumns(Path file) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        duckQuery("select name, type || ' ' || coalesce(logical_type, '') from parquet_schema('" + file + "')",
                rs -> columns.put(rs.getString(1), rs.getString(2)));
        return columns;
    }

    /** Column name to its encodings in the file. */
    private static Map<String, String> encodings(Path file) throws SQLException {
        Map<String, String> encodings = new HashMap<>();
        duckQuery("select path_in_schema, encodings from parquet_metadata('" + file + "')",
                rs -> encodings.put(rs.getString(1), rs.getString(2)));
        return encodings;
    }

    /** Rows of either set of rated-events files that the other lacks, compared by DuckDB. */
    private static List<String> rowsInOnlyOne(Path a, Path b) {
        List<String> rows = new ArrayList<>();
        String sql = "(select * from read_parquet('%s') except all select * from read_parquet('%s'))";
        try {
            duckQuery("select event_id from " + sql.formatted(a, b) + " union all select event_id from " + sql.formatted(b, a),
                    rs -> rows.add(rs.getString(1)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private static void duckQuery(String sql, RowHandler handler) throws SQLException {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                handler.row(rs);
            }
        }
    }

    /** An Avro container file as another service would write it: timestamp-millis, fewer optional columns. */
    private static void writeAvro(Path file) throws IOException {
        Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        Schema schema = SchemaBuilder.record("Usage").namespace("other.service").fields()
                .requiredString("event_id").name("occurred_at").type(millis).noDefault()
                .requiredString("kind").requiredString("account_id").optionalString("project_id")
                .optionalString("resource_id").optionalString("conversation_id").optionalString("end_user_id")
                .optionalString("provider").optionalString("model").optionalString("billing_mode")
                .optionalLong("tokens_input").optionalLong("tokens_output").optionalLong("latency_ms")
                .requiredString("status").optionalLong("quantity").endRecord();
        Files.createDirectories(file.getParent());
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.create(schema, file.toFile());
            for (Event event : EVENTS) {
                Row r = event.row();
                GenericRecord record = new GenericData.Record(schema);
                record.put("event_id", r.eventId());
                record.put("occurred_at", r.occurredAt().toEpochMilli());
                record.put("kind", r.kind());
                record.put("account_id", r.accountId());
                record.put("project_id", r.projectId());
                record.put("resource_id", r.resourceId());
                record.put("conversation_id", r.conversationId());
                record.put("end_user_id", r.endUserId());
                record.put("provider", r.provider());
                record.put("model", r.model());
                record.put("billing_mode", r.billingMode());
                record.put("tokens_input", r.tokensInput());
                record.put("tokens_output", r.tokensOutput());
                record.put("latency_ms", r.latencyMs());
                record.put("status", r.status());
                record.put("quantity", r.quantity());
                writer.append(record);
            }
        }
    }
}
