package tally.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One agent endpoint's rollup for one UTC day (table agent_daily); latency and iterations may be unknown (null). */
public record AgentDay(LocalDate date, long runs, long successes, long failures, long tokensInput, long tokensOutput,
                       long costUcents, long costCents, long chargedCents, Long latencyMsP50, Long latencyMsP95,
                       Long latencyMsMax, BigDecimal iterationsMean) {
}
