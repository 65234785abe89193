package tally.analytics;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyticsJsonTest {

    static final LocalDate DAY = LocalDate.parse("2026-03-02");

    @Test
    void botSummaryAddsDaysAndRoundsTheExactCostOnce() {
        // Two days of 0.4 cents each: 0 + 0 cents per day, but 0.8 cents over the range rounds to 1.
        List<BotDay> days = List.of(
                new BotDay(DAY, 3, 2, 100, 50, 400_000, 0, 0, 2, 1),
                new BotDay(DAY.plusDays(1), 4, 4, 200, 70, 400_000, 0, 1, 3, 2));
        Map<String, Object> json = AnalyticsJson.bot(days);
        assertThat(json).containsOnlyKeys("daily", "summary");
        assertThat(json.get("summary")).isEqualTo(Map.of("total_conversations", 3L, "total_messages", 7L,
                "total_tokens", 420L, "total_cost_cents", 1L));
        assertThat(((List<?>) json.get("daily")).get(0)).isEqualTo(Map.of("date", "2026-03-02", "messages_received", 3L,
                "messages_sent", 2L, "tokens_input", 100L, "tokens_output", 50L, "total_cost_cents", 0L,
                "total_charged_cents", 0L, "unique_users", 2L, "conversations", 1L));
    }

    @Test
    void agentSummaryKeepsUnknownLatencyUnknown() {
        Map<String, Object> json = AnalyticsJson.agent(List.of(
                new AgentDay(DAY, 2, 1, 1, 10, 5, 1_500_000, 2, 12, null, null, null, null),
                new AgentDay(DAY.plusDays(1), 1, 1, 0, 10, 5, 1_000_000, 1, 12, 300L, 400L, 450L, new BigDecimal("2.500"))));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) json.get("summary");
        assertThat(summary).containsEntry("total_runs", 3L).containsEntry("total_failures", 1L)
                .containsEntry("total_cost_cents", 2L).containsEntry("total_charged_cents", 24L)
                .containsEntry("latency_ms_max", 450L);
        assertThat(AnalyticsJson.agent(List.of()).get("summary")).extracting("latency_ms_max").isNull();
    }
}
