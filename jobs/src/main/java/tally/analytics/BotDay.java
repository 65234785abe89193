package tally.analytics;

import java.time.LocalDate;

/** One bot's rollup for one UTC day (table bot_daily). */
public record BotDay(LocalDate date, long messagesReceived, long messagesSent, long tokensInput, long tokensOutput,
                     long costUcents, long totalCostCents, long totalChargedCents, long uniqueUsers, long conversations) {
}
