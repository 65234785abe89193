package tally.rating;

import tally.infra.PgCopy;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One arrival day's charges of each bot per (conversation, usage day), written to
 * {@code bot_spend}: the history spending caps start from on later days. Rating streams events
 * grouped by bot, so one bot's sums are held at a time.
 */
final class BotCharges {

    static final List<String> COLUMNS = List.of("bot_id", "arrival_date", "usage_date", "conversation_id",
            "account_id", "charge_ucents");

    private record ConversationDay(String conversationId, LocalDate usageDate) {
    }

    private final PgCopy copy;
    private final LocalDate arrivalDay;
    private final Map<ConversationDay, Long> chargesUcents = new HashMap<>();
    private String botId;
    private String accountId;

    BotCharges(PgCopy copy, LocalDate arrivalDay) {
        this.copy = copy;
        this.arrivalDay = arrivalDay;
    }

    void add(String botId, String accountId, String conversationId, LocalDate usageDate, long chargeUcents) {
        if (!botId.equals(this.botId)) {
            flush();
            this.botId = botId;
            this.accountId = accountId;
        }
        chargesUcents.merge(new ConversationDay(conversationId, usageDate), chargeUcents, Long::sum);
    }

    /** Writes the bot held so far; call once more after the last event. */
    void flush() {
        chargesUcents.forEach((key, ucents) -> copy.row(botId, arrivalDay, key.usageDate(), key.conversationId(),
                accountId, ucents));
        chargesUcents.clear();
    }
}
