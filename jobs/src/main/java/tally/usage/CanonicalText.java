package tally.usage;

import tally.reference.ReferenceData;
import tally.rules.ModelPrice;
import tally.rules.RatingRules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The one String instance of each id the reference data holds (its map keys, owners included), of
 * each provider and model the price table names, and of each word of a usage column's vocabulary
 * (kinds, statuses, billing modes). Staging passes each
 * Parquet dictionary entry through it once per column chunk, so a row's ids are the reference data's
 * own instances: rating's lookups and owner checks and the staged batches' string codes then
 * compare by identity instead of comparing bytes (JFR: those lookups were a fifth of staging's
 * samples, mostly cache misses on the keys' bytes). Any other text is returned as it is. Read-only
 * once built: shared by all of staging's threads.
 */
public final class CanonicalText implements UnaryOperator<String> {

    private final Map<String, String> instances = new HashMap<>();

    public CanonicalText(ReferenceData reference, RatingRules rules) {
        reference.accounts().keySet().forEach(this::add);
        reference.bots().forEach((id, bot) -> {
            add(id);
            add(bot.accountId());
        });
        reference.endpoints().forEach((id, endpoint) -> {
            add(id);
            add(endpoint.accountId());
        });
        reference.tools().forEach((id, tool) -> {
            add(id);
            add(tool.creatorAccountId());
        });
        for (List<ModelPrice> prices : rules.pricesByModel().values()) {
            for (ModelPrice price : prices) {
                add(price.provider());
                add(price.model());
            }
        }
        for (UsageKind kind : UsageKind.values()) {
            add(kind.code());
        }
        add("success");
        add("failed");
        RowValidator.BILLING_MODES.forEach(this::add);
    }

    /** Keeps the first instance of each value: owners are the accounts' own keys (ReferenceData.load). */
    private void add(String value) {
        instances.putIfAbsent(value, value);
    }

    @Override
    public String apply(String text) {
        String canonical = instances.get(text);
        return canonical != null ? canonical : text;
    }
}
