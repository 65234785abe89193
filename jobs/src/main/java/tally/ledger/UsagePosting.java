package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import tally.money.CarriedRounding;
import tally.reference.ReferenceData;
import tally.reference.Tool;
import tally.rules.RatingRules;
import tally.usage.UsageKind;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Posts one bucket's rated charges to the ledger inside the caller's transaction (the bucket's):
 * wallets in account order, each wallet's debits in (usage day, resource) order, each the
 * carried-rounding amount of its (wallet, resource, month). A fixed number of statements per
 * bucket: the locks in one, the carried-rounding state and the balances in one read each, the
 * ledger rows and the kept state in four writes ({@link LedgerStore#postNew}, {@link UsageCarries}).
 * A bucket commits with its marker, so a restarted run finds each wallet either fully posted
 * (its bucket is skipped) or not at all.
 */
@Component
public class UsagePosting {

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final UsageCarries usageCarries;

    public UsagePosting(JdbcTemplate jdbc, LedgerStore ledger, UsageCarries usageCarries) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.usageCarries = usageCarries;
    }

    /** What a bucket's posting wrote, and what its tool debits collected (for the creators' earnings). */
    public record PostingResult(int wallets, int txnsWritten, List<UsageDebits.ToolCollected> toolsCollected) {
    }

    public PostingResult postBucket(UsageCharges charges, LocalDate arrivalDay, String runId, RatingRules rules,
                                    ReferenceData reference) {
        List<String> payers = charges.payers();
        if (payers.isEmpty()) {
            return new PostingResult(0, 0, List.of());
        }
        List<String> wallets = payers.stream().map(LedgerAccounts::wallet).toList();
        lockInOrder(wallets);
        Map<String, List<UsageDebits.Group>> groups = new HashMap<>();
        Map<String, Set<UsageDebits.CarryKey>> keys = new HashMap<>();
        for (String payer : payers) {
            List<UsageDebits.Group> payerGroups = charges.groupsOf(payer, reference, rules);
            groups.put(payer, payerGroups);
            keys.put(payer, payerGroups.stream().map(UsageDebits.Group::carryKey)
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> carries = usageCarries.before(keys, runId);
        Map<String, Long> balancesCents = ledger.walletBalancesCents(wallets);

        List<LedgerTxn> txns = new ArrayList<>();
        List<UsageDebits.ToolCollected> tools = new ArrayList<>();
        List<UsageCarries.Change> newChanges = new ArrayList<>(); // keys without a kept row yet
        List<UsageCarries.Change> keptChanges = new ArrayList<>();
        for (String payer : payers) {
            Map<UsageDebits.CarryKey, CarriedRounding> payerCarries = carries.computeIfAbsent(payer, p -> new HashMap<>());
            Map<UsageDebits.CarryKey, CarriedRounding> before = new HashMap<>();
            payerCarries.forEach((key, carry) -> before.put(key, new CarriedRounding(carry.exactUcents(), carry.postedCents())));
            UsageDebits.Plan plan = UsageDebits.plan(payer, balancesCents.get(LedgerAccounts.wallet(payer)), groups.get(payer),
                    payerCarries, arrivalDay, runId);
            txns.addAll(plan.txns());
            tools.addAll(plan.toolsCollected());
            for (UsageDebits.CarryKey key : keys.get(payer)) {
                UsageCarries.Change change = UsageCarries.Change.of(payer, key,
                        before.getOrDefault(key, new CarriedRounding(0, 0)), payerCarries.get(key));
                (before.containsKey(key) ? keptChanges : newChanges).add(change);
            }
        }
        ledger.postNew(txns);
        usageCarries.keepNightly(newChanges, keptChanges, runId);
        return new PostingResult(payers.size(), txns.size(), tools);
    }

    /**
     * Serialises writers of these wallets: another job posting to one of them waits until this
     * transaction ends. Taken in account order, as reruns take them too, so that two writers
     * locking several wallets each do not deadlock.
     */
    private void lockInOrder(List<String> wallets) {
        jdbc.queryForList("""
                select pg_advisory_xact_lock(hashtext(wallet))
                from unnest(?::text[]) with ordinality as w(wallet, position) order by position""",
                new SqlArrayValue("text", wallets.toArray(String[]::new)));
    }

    /** The usage of one resource on one day, with the names and fee its postings need. */
    public static UsageDebits.Usage usageOf(ReferenceData reference, RatingRules rules, String resourceId, UsageKind kind,
                                            LocalDate usageDate) {
        Tool tool = kind == UsageKind.TOOL_CALL ? reference.tools().get(resourceId) : null;
        return new UsageDebits.Usage(resourceId, kind, usageDate, resourceName(reference, kind, resourceId),
                tool == null ? null : tool.creatorAccountId(), tool == null ? null : rules.feeFractionOn(usageDate));
    }

    private static String resourceName(ReferenceData reference, UsageKind kind, String resourceId) {
        return switch (kind) {
            case BOT_MESSAGE -> reference.bots().get(resourceId).name();
            case AGENT_RUN -> reference.endpoints().get(resourceId).name();
            case TOOL_CALL -> reference.tools().get(resourceId).name();
            default -> resourceId;
        };
    }
}
