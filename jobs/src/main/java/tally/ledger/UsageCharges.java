package tally.ledger;

import tally.infra.CodePointOrder;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.UsageKind;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One bucket's exact charges per wallet and (resource, usage day): what its debits post. Wallets
 * come out in account order and each wallet's groups in (usage day, resource) order (RULES.md:
 * a run applies a wallet's debits in a fixed order), ids compared by code point.
 */
public final class UsageCharges {

    private record GroupKey(String resourceId, UsageKind kind, LocalDate usageDate) {
    }

    private static final Comparator<String> CODE_POINTS = CodePointOrder.ORDER;

    private final Map<String, Map<GroupKey, Long>> byPayer = new TreeMap<>(CODE_POINTS);

    /** Adds one event's positive charge. */
    public void add(String payerAccountId, String resourceId, UsageKind kind, LocalDate usageDate, long chargeUcents) {
        byPayer.computeIfAbsent(payerAccountId, p -> new HashMap<>())
                .merge(new GroupKey(resourceId, kind, usageDate), chargeUcents, Math::addExact);
    }

    /** The wallets charged, in account order. */
    public List<String> payers() {
        return new ArrayList<>(byPayer.keySet());
    }

    /** A wallet's groups in (usage day, resource id) order, with the names and fee their postings need. */
    public List<UsageDebits.Group> groupsOf(String payerAccountId, ReferenceData reference, RatingRules rules) {
        List<Map.Entry<GroupKey, Long>> entries = new ArrayList<>(byPayer.getOrDefault(payerAccountId, Map.of()).entrySet());
        entries.sort(Comparator.comparing((Map.Entry<GroupKey, Long> g) -> g.getKey().usageDate())
                .thenComparing(g -> g.getKey().resourceId(), CODE_POINTS));
        List<UsageDebits.Group> groups = new ArrayList<>();
        for (Map.Entry<GroupKey, Long> g : entries) {
            GroupKey k = g.getKey();
            groups.add(new UsageDebits.Group(UsagePosting.usageOf(reference, rules, k.resourceId(), k.kind(), k.usageDate()),
                    g.getValue()));
        }
        return groups;
    }
}
