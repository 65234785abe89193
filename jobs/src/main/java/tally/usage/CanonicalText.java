package tally.usage;

import tally.reference.ReferenceData;
import tally.rules.ModelPrice;
import tally.rules.RatingRules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The one String instance of each id the reference data holds (its map keys; owners are the
 * accounts' own keys, ReferenceData.load), of each provider and model the price table names, and
 * of each word of a usage column's vocabulary (kinds, statuses, billing modes). Staging passes each
 * Parquet dictionary entry through it once per column chunk, and rate-and-post each staged batch's
 * dictionary values once per batch, so rows carry the reference data's own instances: rating's map
 * lookups, owner checks and string codes then match by identity before comparing bytes (session 17:
 * ~4% of staging's Java, docs/performance.md). Any other text is returned as it is. Read-only once
 * built: shared by the threads that read with it.
 */
public final class CanonicalText implements UnaryOperator<String> {

    private final Map<String, String> instances = new HashMap<>();

    public CanonicalText(ReferenceData reference, RatingRules rules) {
        reference.accounts().keySet().forEach(this::add);
        reference.bots().keySet().forEach(this::add);
        reference.endpoints().keySet().forEach(this::add);
        reference.tools().keySet().forEach(this::add);
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

    /** Keeps the first instance of each value. */
    private void add(String value) {
        instances.putIfAbsent(value, value);
    }

    @Override
    public String apply(String text) {
        String canonical = instances.get(text);
        return canonical != null ? canonical : text;
    }
}
