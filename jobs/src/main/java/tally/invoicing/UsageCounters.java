package tally.invoicing;

import tally.infra.PgCopy;
import tally.rating.Rater;
import tally.rating.RatingOutcome;
import tally.usage.UsageEvent;
import tally.usage.UsageKind;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One bucket's plan counters per (account, usage day), from its successful events
 * ({@code account_day_usage}, V17), and its successful storage snapshots ({@code storage_snapshot}):
 * what month close and {@code tally usage} read instead of every event. ai_tokens counts the
 * tokens of bot messages and agent runs not served on BYOK keys (RULES.md, Usage kinds 4).
 */
public final class UsageCounters {

    private record Key(String accountId, LocalDate usageDate) {
    }

    private static final class Counts {
        long apiRequests;
        long aiTokens;
        long gatewayRequests;
        long mcpProxyCalls;
        long logicEngineCalls;
    }

    private record Snapshot(String accountId, String projectId, java.time.Instant occurredAt, String eventId,
                            long quantityBytes) {
    }

    private final Map<Key, Counts> counts = new HashMap<>();
    private final List<Snapshot> snapshots = new java.util.ArrayList<>();

    public void add(UsageEvent e, RatingOutcome.Rated rated) {
        if (!e.success()) {
            return;
        }
        if (e.kind() == UsageKind.STORAGE_SNAPSHOT) {
            snapshots.add(new Snapshot(e.accountId(), e.projectId(), e.occurredAt(), e.eventId(), e.quantity()));
            return;
        }
        Counts c = counts.computeIfAbsent(new Key(e.accountId(), e.usageDate()), k -> new Counts());
        switch (e.kind()) {
            case API_REQUEST -> c.apiRequests = Math.addExact(c.apiRequests, e.quantity());
            case GATEWAY_REQUEST -> c.gatewayRequests = Math.addExact(c.gatewayRequests, e.quantity());
            case MCP_PROXY_CALL -> c.mcpProxyCalls = Math.addExact(c.mcpProxyCalls, e.quantity());
            case LOGIC_ENGINE_CALL -> c.logicEngineCalls = Math.addExact(c.logicEngineCalls, e.quantity());
            case BOT_MESSAGE, AGENT_RUN -> {
                if (!Rater.BYOK.equals(rated.billingMode())) {
                    c.aiTokens = Math.addExact(c.aiTokens, Math.addExact(e.tokensInput(), e.tokensOutput()));
                }
            }
            default -> {
            }
        }
    }

    /** Writes the counters and snapshots, in the caller's transaction. */
    public void write(DataSource dataSource, LocalDate arrivalDay) {
        try (PgCopy copy = new PgCopy(dataSource, "account_day_usage", List.of("account_id", "usage_date", "arrival_date",
                "api_requests", "ai_tokens", "gateway_requests", "mcp_proxy_calls", "logic_engine_calls"))) {
            counts.forEach((k, c) -> copy.row(k.accountId(), k.usageDate(), arrivalDay, c.apiRequests, c.aiTokens,
                    c.gatewayRequests, c.mcpProxyCalls, c.logicEngineCalls));
        }
        try (PgCopy copy = new PgCopy(dataSource, "storage_snapshot", List.of("account_id", "project_id", "occurred_at",
                "event_id", "arrival_date", "quantity_bytes"))) {
            snapshots.forEach(s -> copy.row(s.accountId(), s.projectId(), s.occurredAt(), s.eventId(), arrivalDay,
                    s.quantityBytes()));
        }
    }
}
