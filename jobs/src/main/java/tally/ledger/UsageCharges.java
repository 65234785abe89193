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

/**
 * One bucket's exact charges per wallet and (resource, usage day): what its debits post. Wallets
 * come out in account order and each wallet's groups in (usage day, resource) order (RULES.md:
 * a run applies a wallet's debits in a fixed order), ids compared by code point.
 */
public final class UsageCharges {

    private record GroupKey(String resourceId, UsageKind kind, LocalDate usageDate) {
    }

    /** A group's exact charge so far, and the id of the debit that posts it (made once per group, not per event). */
    private static final class Group {
        final String debitId;
        long ucents;

        Group(String debitId) {
            this.debitId = debitId;
        }
    }

    private static final Comparator<String> CODE_POINTS = CodePointOrder.ORDER;

    private final LocalDate arrivalDate;
    /** By wallet, unordered: sorted once by {@link #payers}, not compared on every event's way in. */
    private final Map<String, Map<GroupKey, Group>> byPayer = new HashMap<>();

    /** The charges of events that arrived on {@code arrivalDate}: their debits are that run's. */
    public UsageCharges(LocalDate arrivalDate) {
        this.arrivalDate = arrivalDate;
    }

    /** Adds one event's positive charge; returns the id of the debit that posts it ({@link PostingIds#debit}). */
    public String add(String payerAccountId, String resourceId, UsageKind kind, LocalDate usageDate, long chargeUcents) {
        Group group = byPayer.computeIfAbsent(payerAccountId, p -> new HashMap<>())
                .computeIfAbsent(new GroupKey(resourceId, kind, usageDate),
                        k -> new Group(PostingIds.debit(payerAccountId, resourceId, usageDate, arrivalDate)));
        group.ucents = Math.addExact(group.ucents, chargeUcents);
        return group.debitId;
    }

    /** The wallets charged, in account order. */
    public List<String> payers() {
        List<String> payers = new ArrayList<>(byPayer.keySet());
        payers.sort(CODE_POINTS);
        return payers;
    }

    /** A wallet's groups in (usage day, resource id) order, with the names and fee their postings need. */
    public List<UsageDebits.Group> groupsOf(String payerAccountId, ReferenceData reference, RatingRules rules) {
        List<Map.Entry<GroupKey, Group>> entries = new ArrayList<>(byPayer.getOrDefault(payerAccountId, Map.of()).entrySet());
        entries.sort(Comparator.comparing((Map.Entry<GroupKey, Group> g) -> g.getKey().usageDate())
                .thenComparing(g -> g.getKey().resourceId(), CODE_POINTS));
        List<UsageDebits.Group> groups = new ArrayList<>();
        for (Map.Entry<GroupKey, Group> g : entries) {
            GroupKey k = g.getKey();
            groups.add(new UsageDebits.Group(UsagePosting.usageOf(reference, rules, k.resourceId(), k.kind(), k.usageDate()),
                    g.getValue().ucents));
        }
        return groups;
    }
}
