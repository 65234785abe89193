package tally.rating;

import tally.infra.PgCopy;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One bucket's charges of each bot per (conversation, usage day), written to {@code bot_spend}:
 * the history spending caps start from on later days. Every bot's, capped or not (a cap added later
 * needs the history).
 */
public final class BotCharges {

    static final List<String> COLUMNS = List.of("bot_id", "arrival_date", "usage_date", "conversation_id",
            "account_id", "charge_ucents");

    private record Key(String botId, String accountId, String conversationId, LocalDate usageDate) {
    }

    private final Map<Key, Long> chargesUcents = new HashMap<>();

    void add(String botId, String accountId, String conversationId, LocalDate usageDate, long chargeUcents) {
        chargesUcents.merge(new Key(botId, accountId, conversationId, usageDate), chargeUcents, Math::addExact);
    }

    /** Writes the bucket's rows, in the caller's transaction. */
    public void write(DataSource dataSource, LocalDate arrivalDay) {
        try (PgCopy copy = new PgCopy(dataSource, "bot_spend", COLUMNS)) {
            chargesUcents.forEach((k, ucents) -> copy.row(k.botId(), arrivalDay, k.usageDate(), k.conversationId(),
                    k.accountId(), ucents));
        }
    }
}
