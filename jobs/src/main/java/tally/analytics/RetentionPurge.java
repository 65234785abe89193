package tally.analytics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the rollups each account no longer keeps ({@link RetentionPolicy}), relative to a run's
 * business date, and the analytics parts they were added up from (a part of a day no longer kept can
 * only ever produce a rollup that is purged again). Tool rollups and parts belong to the tool's
 * creator. Rollups and parts are derived data; the ledger and rated events are billing records and
 * are never purged here.
 */
@Component
public class RetentionPurge {

    private final JdbcTemplate jdbc;

    public RetentionPurge(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record PurgeResult(int botDays, int agentDays, int toolDays) {
    }

    public PurgeResult purge(LocalDate clock) {
        List<String> accounts = new ArrayList<>();
        List<String> firstDaysKept = new ArrayList<>();
        jdbc.query("select account_id, catalog, tier from account order by 1", rs -> {
            String account = rs.getString(1);
            RetentionPolicy.firstDayKept(rs.getString(2), rs.getString(3), clock).ifPresent(first -> {
                accounts.add(account);
                firstDaysKept.add(first.toString());
            });
        });
        Object[] args = {accounts.toArray(String[]::new), firstDaysKept.toArray(String[]::new)};
        PurgeResult rollups = new PurgeResult(purge("bot_daily", "account_id", args), purge("agent_daily", "account_id", args),
                purge("tool_daily", "creator_account_id", args));
        purge("bot_day_part", "account_id", args);
        purge("agent_day_part", "account_id", args);
        jdbc.update("""
                delete from tool_day_part r using tool t, unnest(?::text[], ?::date[]) as k(account_id, first_day_kept)
                where t.tool_id = r.tool_id and t.creator_account_id = k.account_id and r.usage_date < k.first_day_kept""", args);
        return rollups;
    }

    private int purge(String table, String accountColumn, Object[] args) {
        return jdbc.update("""
                delete from %s r using unnest(?::text[], ?::date[]) as k(account_id, first_day_kept)
                where r.%s = k.account_id and r.usage_date < k.first_day_kept""".formatted(table, accountColumn), args);
    }
}
