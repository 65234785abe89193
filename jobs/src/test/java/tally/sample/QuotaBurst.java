package tally.sample;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator of {@code sample-data/usage/date=2026-03-04/quota-burst.parquet}: counter-heavy usage
 * of the month-close sample accounts, a few rows with large quantities that put every counter status
 * (ok, grace, blocked, overage) and boundary on an invoice (docs/month-close.md lists what each
 * account shows). Deterministic; {@code QuotaBurstTest} checks the committed file still equals it,
 * and rewrites it when run with {@code -Dtally.regenerate=true}.
 */
public final class QuotaBurst {

    public static final Path FILE = Path.of("sample-data", "usage", "date=2026-03-04", "quota-burst.parquet");

    private final List<UsageParquetWriter.Row> rows = new ArrayList<>();

    private QuotaBurst() {
    }

    public static List<UsageParquetWriter.Row> rows() {
        QuotaBurst b = new QuotaBurst();
        // Aerostack Starter: API requests in grace (540,000 of 500,000, hard 575,000), gateway blocked
        // (60,000 > hard 57,500), MCP exactly at its limit, storage peak 7.5 GB in grace (7 GB, hard 8.05 GB).
        b.counter("acct_aero_grace", "proj-web", "api_request", "2026-03-01T08:00:00Z", 300_000);
        b.counter("acct_aero_grace", "proj-api", "api_request", "2026-03-02T08:00:00Z", 240_000);
        b.counter("acct_aero_grace", "proj-web", "gateway_request", "2026-03-02T09:00:00Z", 60_000);
        b.counter("acct_aero_grace", "proj-api", "mcp_proxy_call", "2026-03-03T09:00:00Z", 50_000);
        // Storage: each snapshot replaces its project's last one. Totals: 1.5, 7.5, 4.5, 5.0 GB -> peak 7.5 GB
        // (the sum of each project's own maximum would be 8.0 GB).
        b.counter("acct_aero_grace", "proj-web", "storage_snapshot", "2026-03-01T12:00:00Z", 1_500_000_000L);
        b.counter("acct_aero_grace", "proj-api", "storage_snapshot", "2026-03-02T12:00:00Z", 6_000_000_000L);
        b.counter("acct_aero_grace", "proj-api", "storage_snapshot", "2026-03-03T10:00:00Z", 3_000_000_000L);
        b.counter("acct_aero_grace", "proj-web", "storage_snapshot", "2026-03-03T12:00:00Z", 2_000_000_000L);
        // Aerostack Pro, yearly: AI tokens in grace (11,000,000 of 10,000,000 on plan_quota; BYOK tokens not
        // counted), API requests exactly at the limit, gateway exactly at the hard limit (240,000),
        // MCP one above it (240,001).
        b.tokens("acct_aero_yearly", "bot_aero_quota", "2026-03-02T10:00:00Z", 9_000_000, 2_000_000);
        b.tokens("acct_aero_yearly", "bot_aero_byok", "2026-03-02T11:00:00Z", 5_000_000, 0);
        b.counter("acct_aero_yearly", "proj-1", "api_request", "2026-03-03T08:00:00Z", 2_000_000);
        b.counter("acct_aero_yearly", "proj-1", "gateway_request", "2026-03-03T08:30:00Z", 240_000);
        b.counter("acct_aero_yearly", "proj-1", "mcp_proxy_call", "2026-03-03T08:45:00Z", 240_001);
        // Aerostack Business cancelled at period end (2026-03-01): March is on Free, 55,001 API requests blocked.
        b.counter("acct_aero_cancel", "proj-1", "api_request", "2026-03-02T08:00:00Z", 55_001);
        // Aerostack Enterprise: unlimited.
        b.counter("acct_aero_ent", "proj-1", "api_request", "2026-03-02T08:00:00Z", 50_000_000);
        // AgentStack PRO with overage: API calls 2,612,345 of 2,500,000 (+500k package), logic engine one
        // call over 300,000 (+100k package): minimum charge. Storage 12 GB of 40 GB (+10 GB, +25 GB).
        b.counter("acct_agent_over", "proj-1", "api_request", "2026-03-02T08:00:00Z", 1_612_345);
        b.counter("acct_agent_over", "proj-2", "api_request", "2026-03-03T08:00:00Z", 1_000_000);
        b.counter("acct_agent_over", "proj-1", "logic_engine_call", "2026-03-03T09:00:00Z", 300_001);
        b.counter("acct_agent_over", "proj-1", "storage_snapshot", "2026-03-03T12:00:00Z", 12_000_000_000L);
        // AgentStack STARTER, overage on except for API calls: API calls blocked, logic engine 500 over
        // 100,000 (+50k package) charged, storage over 0.5 GB blocked (storage has no overage price).
        b.counter("acct_agent_block", "proj-1", "api_request", "2026-03-02T08:00:00Z", 250_000);
        b.counter("acct_agent_block", "proj-1", "logic_engine_call", "2026-03-02T09:00:00Z", 100_500);
        b.counter("acct_agent_block", "proj-1", "storage_snapshot", "2026-03-02T12:00:00Z", 600_000_000L);
        // AgentStack PREMIUM, yearly, overage off globally: API calls exactly at 11,000,000 (+1M package
        // bought 2026-03-31), logic engine one above 1,000,000 blocked.
        b.counter("acct_agent_yearly", "proj-1", "api_request", "2026-03-02T08:00:00Z", 11_000_000);
        b.counter("acct_agent_yearly", "proj-1", "logic_engine_call", "2026-03-02T09:00:00Z", 1_000_001);
        // AgentStack BASIC cancelled at period end (2026-03-15): Basic limits in March, no fee; at the limit.
        b.counter("acct_agent_cancel", "proj-1", "api_request", "2026-03-02T08:00:00Z", 500_000);
        return b.rows;
    }

    private String nextId() {
        return "burst-" + String.format("%03d", rows.size() + 1);
    }

    private void counter(String account, String project, String kind, String at, long quantity) {
        rows.add(new UsageParquetWriter.Row(nextId(), Instant.parse(at), kind, account, project, null, null, null, null,
                null, null, null, null, null, null, null, "success", quantity));
    }

    private void tokens(String account, String bot, String at, long tokensInput, long tokensOutput) {
        rows.add(new UsageParquetWriter.Row(nextId(), Instant.parse(at), "bot_message", account, null, bot, "conv-burst",
                "user-burst", "slack", "openai", "gpt-4o-mini", null, tokensInput, tokensOutput, null, 1200L, "success", null));
    }

    /** Writes the sample file under the repository root. */
    public static void write(Path repoRoot) {
        try (UsageParquetWriter writer = new UsageParquetWriter(repoRoot.resolve(FILE))) {
            rows().forEach(writer::write);
        }
    }
}
