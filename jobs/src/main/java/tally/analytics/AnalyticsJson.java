package tally.analytics;

import tally.money.Money;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON of {@code tally analytics bot|agent} (CONTRACT.md), from the days of a range. Pure: the
 * days in, the answer out. A range summary adds the days up, except cost, which is the range's exact
 * cost rounded once (so a summary never drifts by a cent per day from the exact total).
 */
public final class AnalyticsJson {

    private AnalyticsJson() {
    }

    /** {@code {"daily": [...], "summary": {total_conversations, total_messages, total_tokens, total_cost_cents}}}. */
    public static Map<String, Object> bot(List<BotDay> days) {
        List<Map<String, Object>> daily = days.stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", d.date().toString());
            m.put("messages_received", d.messagesReceived());
            m.put("messages_sent", d.messagesSent());
            m.put("tokens_input", d.tokensInput());
            m.put("tokens_output", d.tokensOutput());
            m.put("total_cost_cents", d.totalCostCents());
            m.put("total_charged_cents", d.totalChargedCents());
            m.put("unique_users", d.uniqueUsers());
            m.put("conversations", d.conversations());
            return m;
        }).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total_conversations", days.stream().mapToLong(BotDay::conversations).sum());
        summary.put("total_messages", days.stream().mapToLong(BotDay::messagesReceived).sum());
        summary.put("total_tokens", days.stream().mapToLong(d -> d.tokensInput() + d.tokensOutput()).sum());
        summary.put("total_cost_cents", Money.roundToCents(days.stream().mapToLong(BotDay::costUcents).sum()));
        return answer(daily, summary);
    }

    /** Daily runs, outcomes, tokens, cost, charge, latency and iterations, and their range summary. */
    public static Map<String, Object> agent(List<AgentDay> days) {
        List<Map<String, Object>> daily = days.stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", d.date().toString());
            m.put("runs", d.runs());
            m.put("successes", d.successes());
            m.put("failures", d.failures());
            m.put("tokens_input", d.tokensInput());
            m.put("tokens_output", d.tokensOutput());
            m.put("cost_cents", d.costCents());
            m.put("charged_cents", d.chargedCents());
            m.put("latency_ms_p50", d.latencyMsP50());
            m.put("latency_ms_p95", d.latencyMsP95());
            m.put("latency_ms_max", d.latencyMsMax());
            m.put("iterations_mean", d.iterationsMean());
            return m;
        }).toList();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total_runs", days.stream().mapToLong(AgentDay::runs).sum());
        summary.put("total_successes", days.stream().mapToLong(AgentDay::successes).sum());
        summary.put("total_failures", days.stream().mapToLong(AgentDay::failures).sum());
        summary.put("total_tokens", days.stream().mapToLong(d -> d.tokensInput() + d.tokensOutput()).sum());
        summary.put("total_cost_cents", Money.roundToCents(days.stream().mapToLong(AgentDay::costUcents).sum()));
        summary.put("total_charged_cents", days.stream().mapToLong(AgentDay::chargedCents).sum());
        summary.put("latency_ms_max", days.stream().map(AgentDay::latencyMsMax).filter(Objects::nonNull)
                .max(Long::compare).orElse(null));
        return answer(daily, summary);
    }

    private static Map<String, Object> answer(List<Map<String, Object>> daily, Map<String, Object> summary) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("daily", daily);
        out.put("summary", summary);
        return out;
    }
}
