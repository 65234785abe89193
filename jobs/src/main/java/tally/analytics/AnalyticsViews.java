package tally.analytics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.infra.BadInputException;
import tally.infra.DayRange;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Reads the stored rollups of one bot or endpoint over a range of usage days. Only what the rollups
 * hold is returned, so purged days ({@link RetentionPurge}) never come back.
 */
@Component
public class AnalyticsViews {

    private final JdbcTemplate jdbc;

    public AnalyticsViews(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Object> bot(String botId, DayRange range) {
        requireKnown("bot", "bot_id", botId, "--bot");
        List<BotDay> days = jdbc.query("""
                select usage_date, messages_received, messages_sent, tokens_input, tokens_output, cost_ucents,
                       total_cost_cents, total_charged_cents, unique_users, conversations
                from bot_daily where bot_id = ? and usage_date between ? and ? order by usage_date""",
                (rs, i) -> new BotDay(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)),
                botId, Date.valueOf(range.from()), Date.valueOf(range.to()));
        return AnalyticsJson.bot(days);
    }

    public Map<String, Object> agent(String endpointId, DayRange range) {
        requireKnown("agent_endpoint", "endpoint_id", endpointId, "--endpoint");
        List<AgentDay> days = jdbc.query("""
                select usage_date, runs, successes, failures, tokens_input, tokens_output, cost_ucents, cost_cents,
                       charged_cents, latency_ms_p50, latency_ms_p95, latency_ms_max, iterations_mean
                from agent_daily where endpoint_id = ? and usage_date between ? and ? order by usage_date""",
                (rs, i) -> new AgentDay(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), nullableLong(rs, 10),
                        nullableLong(rs, 11), nullableLong(rs, 12), rs.getBigDecimal(13)),
                endpointId, Date.valueOf(range.from()), Date.valueOf(range.to()));
        return AnalyticsJson.agent(days);
    }

    private void requireKnown(String table, String idColumn, String id, String option) {
        Boolean known = jdbc.queryForObject("select exists (select 1 from %s where %s = ?)".formatted(table, idColumn),
                Boolean.class, id);
        if (!Boolean.TRUE.equals(known)) {
            throw new BadInputException(option + " " + id + " is not a known " + table.replace('_', ' '));
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
