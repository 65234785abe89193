package tally.reference;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The reference data rating needs, in memory: its size is the number of accounts and resources,
 * never the number of events. Every bot's and endpoint's owner is one of the accounts (their
 * account_id references account), which rating relies on (Rater). As loaded, an owner id is the
 * same String instance as the account's key, so an owner check of a canonical id
 * ({@code tally.usage.CanonicalText}) is an identity compare.
 */
public record ReferenceData(Map<String, Account> accounts, Map<String, Bot> bots,
                            Map<String, AgentEndpoint> endpoints, Map<String, Tool> tools) {

    public static ReferenceData load(JdbcTemplate jdbc) {
        Map<String, String> accountIds = new HashMap<>();
        UnaryOperator<String> accountId = id -> id == null ? null : accountIds.computeIfAbsent(id, k -> k);
        Map<String, Account> accounts = new HashMap<>();
        jdbc.query("select * from account", rs -> {
            String id = accountId.apply(rs.getString("account_id"));
            accounts.put(id, new Account(id, rs.getString("catalog"),
                    rs.getString("tier"), rs.getString("billing_interval"),
                    rs.getObject("period_start", java.time.LocalDate.class), rs.getBoolean("cancel_at_period_end"),
                    rs.getBoolean("overage_enabled"), rs.getBoolean("overage_logic_engine"),
                    rs.getBoolean("overage_api_calls"), rs.getBoolean("overage_storage")));
        });
        Map<String, Bot> bots = new HashMap<>();
        jdbc.query("select * from bot", rs -> {
            bots.put(rs.getString("bot_id"), new Bot(rs.getString("bot_id"), accountId.apply(rs.getString("account_id")),
                    rs.getString("name"), rs.getString("platform"), rs.getString("billing_mode"),
                    nullableLong(rs, "spending_cap_cents"), nullableLong(rs, "conversation_cap_cents"),
                    nullableLong(rs, "daily_cap_cents"), nullableLong(rs, "monthly_cap_cents")));
        });
        Map<String, AgentEndpoint> endpoints = new HashMap<>();
        jdbc.query("select * from agent_endpoint", rs -> {
            endpoints.put(rs.getString("endpoint_id"), new AgentEndpoint(rs.getString("endpoint_id"),
                    accountId.apply(rs.getString("account_id")), rs.getString("name"), rs.getLong("price_per_run_cents"),
                    rs.getString("auth_mode")));
        });
        Map<String, Tool> tools = new HashMap<>();
        jdbc.query("select * from tool", rs -> {
            tools.put(rs.getString("tool_id"), new Tool(rs.getString("tool_id"), accountId.apply(rs.getString("creator_account_id")),
                    rs.getString("name"), rs.getLong("price_cents")));
        });
        return new ReferenceData(accounts, bots, endpoints, tools);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
