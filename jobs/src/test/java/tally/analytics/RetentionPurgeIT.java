package tally.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.Cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly run of 2026-03-04 purges rollups past retention: acct_wayne (AgentStack free, 7 days)
 * loses its 8-day-old rollup (2026-02-24) and its parts, and keeps its 7-day-old one; nothing else goes.
 */
class RetentionPurgeIT {

    @Test
    void sevenDayTierLosesItsEightDayOldRollupsAndNothingElse(@TempDir Path home) throws SQLException {
        Cli cli = new Cli(home);
        cli.importSample();
        try (Connection db = DriverManager.getConnection(cli.dbUrl()); Statement s = db.createStatement()) {
            s.execute("""
                    insert into agent_daily (endpoint_id, usage_date, account_id, runs, successes, failures, tokens_input,
                        tokens_output, cost_ucents, cost_cents, charged_cents)
                    values ('aep_reviewer', '2026-02-24', 'acct_wayne', 1, 1, 0, 10, 10, 0, 0, 12),
                           ('aep_reviewer', '2026-02-25', 'acct_wayne', 1, 1, 0, 10, 10, 0, 0, 12),
                           ('aep_invoice', '2026-02-24', 'acct_acme', 1, 1, 0, 10, 10, 0, 0, 5)""");
            s.execute("""
                    insert into bot_daily (bot_id, usage_date, account_id, messages_received, messages_sent, tokens_input,
                        tokens_output, cost_ucents, total_cost_cents, total_charged_cents, unique_users, conversations)
                    values ('bot_support', '2026-02-24', 'acct_acme', 1, 1, 10, 10, 0, 0, 0, 1, 1)""");
            s.execute("""
                    insert into tool_daily (tool_id, usage_date, creator_account_id, calls, gross_cents, fee_cents, creator_net_cents)
                    values ('tool_search', '2026-02-24', 'acct_pied', 1, 2, 0, 2)""");
            s.execute("""
                    insert into agent_day_part (endpoint_id, usage_date, arrival_date, account_id, runs, successes, failures,
                        tokens_input, tokens_output, cost_ucents, latencies_ms, iterations_total, iterations_count)
                    values ('aep_reviewer', '2026-02-24', '2026-02-24', 'acct_wayne', 1, 1, 0, 10, 10, 0, '{}', 0, 0),
                           ('aep_reviewer', '2026-02-25', '2026-02-25', 'acct_wayne', 1, 1, 0, 10, 10, 0, '{}', 0, 0)""");

            cli.nightly("2026-03-04", Cli.SAMPLE.resolve("usage"));

            assertThat(rows(s, "select endpoint_id || ' ' || usage_date from agent_daily where usage_date < '2026-03-01' order by 1"))
                    .containsExactly("aep_invoice 2026-02-24", "aep_reviewer 2026-02-25");
            assertThat(rows(s, "select bot_id || ' ' || usage_date from bot_daily where usage_date < '2026-03-01'"))
                    .containsExactly("bot_support 2026-02-24");
            assertThat(rows(s, "select tool_id || ' ' || usage_date from tool_daily where usage_date < '2026-03-01'"))
                    .containsExactly("tool_search 2026-02-24");
            assertThat(rows(s, "select count(*) from agent_daily where usage_date = '2026-03-04'")).containsExactly("3");
            assertThat(rows(s, "select endpoint_id || ' ' || usage_date from agent_day_part where usage_date < '2026-03-01'"))
                    .as("the parts a purged rollup was made of go with it").containsExactly("aep_reviewer 2026-02-25");
        }
        assertThat(cli.ok("analytics", "agent", "--endpoint", "aep_reviewer", "--from", "2026-02-01", "--to", "2026-02-28")
                .at("/daily").findValuesAsString("date")).containsExactly("2026-02-25");
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
