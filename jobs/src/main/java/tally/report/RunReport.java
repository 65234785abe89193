package tally.report;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.cli.Json;
import tally.infra.BadInputException;
import tally.money.Money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML run report of one nightly run: reads the run's stored summary, the rollups of the days
 * before it and the ledger, and writes {@link ReportPage}'s self-contained page.
 */
@Component
public class RunReport {

    /** Usage days shown in the per-day chart and used to rank bots and endpoints: the run's day and the 13 before. */
    public static final int WINDOW_DAYS = 14;
    /** The report's name in a nightly run's output folder. */
    public static final String FILE_NAME = "report.html";
    /** Bots, endpoints and wallets shown per ranking. */
    public static final int TOP = 10;

    private final JdbcTemplate jdbc;

    public RunReport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Path write(LocalDate date, Path file) {
        String html = ReportPage.render(data(date));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("report " + file + " cannot be written", e);
        }
        return file;
    }

    @SuppressWarnings("unchecked")
    public ReportData data(LocalDate date) {
        String runId = "nightly:" + date;
        List<String> stored = jdbc.queryForList("select summary::text from run_summary where run_id = ?", String.class, runId);
        if (stored.isEmpty()) {
            throw new BadInputException("--date " + date + ": no nightly run summary for that date (run ./tally nightly --date "
                    + date + " first)");
        }
        Map<String, Object> summary = new LinkedHashMap<>(Json.mapper().readValue(stored.get(0), Map.class));
        Date first = Date.valueOf(date.minusDays(WINDOW_DAYS - 1L));
        Date last = Date.valueOf(date);
        List<ReportData.DayTotals> days = jdbc.query("""
                select usage_date, sum(cost_ucents), sum(charged_cents) from (
                    select usage_date, cost_ucents, total_charged_cents as charged_cents from bot_daily
                    union all select usage_date, cost_ucents, charged_cents from agent_daily
                    union all select usage_date, 0, gross_cents from tool_daily) r
                where usage_date between ? and ? group by 1 order by 1""",
                (rs, i) -> new ReportData.DayTotals(rs.getDate(1).toLocalDate(), Money.roundToCents(rs.getLong(2)),
                        rs.getLong(3)), first, last);
        List<ReportData.Ranked> bots = ranked("""
                select r.bot_id, b.name, sum(r.cost_ucents) from bot_daily r join bot b using (bot_id)
                where r.usage_date between ? and ? group by 1, 2""", first, last);
        List<ReportData.Ranked> endpoints = ranked("""
                select r.endpoint_id, a.name, sum(r.cost_ucents) from agent_daily r join agent_endpoint a using (endpoint_id)
                where r.usage_date between ? and ? group by 1, 2""", first, last);
        List<ReportData.Ranked> uncollected = jdbc.query("""
                select account_id, sum(uncollected_cents) from ledger_txn where run_id = ? and type = 'debit'
                group by 1 having sum(uncollected_cents) > 0 order by 2 desc, 1 limit ?""",
                (rs, i) -> new ReportData.Ranked(rs.getString(1), rs.getString(1), rs.getLong(2)), runId, TOP);
        return new ReportData(date, summary, days, bots, endpoints, uncollected);
    }

    /** The top resources of a query returning (id, name, exact micro-cents), by rounded cost then id. */
    private List<ReportData.Ranked> ranked(String sql, Date first, Date last) {
        return jdbc.query(sql, (rs, i) -> new ReportData.Ranked(rs.getString(1), rs.getString(2),
                        Money.roundToCents(rs.getLong(3))), first, last).stream()
                .sorted((a, b) -> a.cents() != b.cents() ? Long.compare(b.cents(), a.cents()) : a.id().compareTo(b.id()))
                .limit(TOP).toList();
    }
}
