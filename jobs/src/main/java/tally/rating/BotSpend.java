package tally.rating;

import tally.money.Money;
import tally.reference.Bot;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;

/**
 * What one bot has been charged so far, in exact micro-cents, for its four spending caps
 * (RULES.md: lifetime, per conversation, per UTC day, per UTC month). Events must be applied in
 * (occurred_at, event_id) order; each charge is cut to what is left under every cap.
 */
public final class BotSpend {

    private final Bot bot;
    private long lifetimeUcents;
    private final Map<String, Long> byConversation = new HashMap<>();
    private final Map<LocalDate, Long> byDay = new HashMap<>();
    private final Map<YearMonth, Long> byMonth = new HashMap<>();

    public BotSpend(Bot bot) {
        this.bot = bot;
    }

    /** Adds spend recorded before this run (no cap is applied to history). */
    public void addHistory(String conversationId, LocalDate day, long chargeUcents) {
        record(conversationId, day, chargeUcents);
    }

    /** The part of {@code chargeUcents} the caps allow, recorded as spent. */
    public long applyCaps(String conversationId, LocalDate day, long chargeUcents) {
        long allowed = chargeUcents;
        allowed = cut(allowed, bot.spendingCapCents(), lifetimeUcents);
        if (conversationId != null) {
            allowed = cut(allowed, bot.conversationCapCents(), byConversation.getOrDefault(conversationId, 0L));
        }
        allowed = cut(allowed, bot.dailyCapCents(), byDay.getOrDefault(day, 0L));
        allowed = cut(allowed, bot.monthlyCapCents(), byMonth.getOrDefault(YearMonth.from(day), 0L));
        record(conversationId, day, allowed);
        return allowed;
    }

    private static long cut(long chargeUcents, Long capCents, long spentUcents) {
        if (capCents == null) {
            return chargeUcents;
        }
        long leftUcents = Math.max(0, Money.centsToUcents(capCents) - spentUcents);
        return Math.min(chargeUcents, leftUcents);
    }

    private void record(String conversationId, LocalDate day, long ucents) {
        lifetimeUcents += ucents;
        if (conversationId != null) {
            byConversation.merge(conversationId, ucents, Long::sum);
        }
        byDay.merge(day, ucents, Long::sum);
        byMonth.merge(YearMonth.from(day), ucents, Long::sum);
    }
}
