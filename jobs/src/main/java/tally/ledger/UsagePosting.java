package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tally.money.CarriedRounding;
import tally.partition.AccountPartition;
import tally.reference.ReferenceData;
import tally.reference.Tool;
import tally.rules.RatingRules;
import tally.usage.UsageKind;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Posts one arrival day's rated usage to the ledger, wallets in account order and each wallet's
 * debits in (usage day, resource) order, {@link #WALLETS_PER_TRANSACTION} wallets per database
 * transaction. A wallet's postings commit together, so after a crash a wallet is either fully
 * posted (its ids are found and skipped) or not at all, and a restart gives exactly the
 * uninterrupted result.
 *
 * <p>Each group of wallets costs a fixed number of statements, not a few per wallet: the locks in
 * one, each read for all of the group's wallets at once, the planning in memory
 * ({@link UsageDebits#plan}, one wallet at a time), the writes in three ({@link LedgerStore#postAll}
 * and the kept carried-rounding state, {@link UsageCarries}). Reads follow the night: the day's usage
 * of the group's wallets and one carry row per (wallet, resource, month) posted to.
 */
@Component
public class UsagePosting {

    /** Wallets committed together: one commit (and disk flush) and one set of statements per group. */
    static final int WALLETS_PER_TRANSACTION = 100;

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final UsageCarries usageCarries;
    private final TransactionTemplate newTransaction;

    public UsagePosting(JdbcTemplate jdbc, LedgerStore ledger, UsageCarries usageCarries,
                        PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.usageCarries = usageCarries;
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public record PostingResult(int wallets, int txnsWritten) {
    }

    /** Posts the wallets of {@code partition} that have charged usage arriving on {@code arrivalDay}. */
    public PostingResult post(LocalDate arrivalDay, String runId, RatingRules rules, ReferenceData reference,
                              AccountPartition partition) {
        List<String> payers = jdbc.queryForList("""
                select distinct payer_account_id from usage_event
                where arrival_date = ? and charge_ucents > 0 and %s order by 1"""
                .formatted(partition.sql("payer_account_id")), String.class, Date.valueOf(arrivalDay));
        int written = 0;
        for (int from = 0; from < payers.size(); from += WALLETS_PER_TRANSACTION) {
            List<String> group = payers.subList(from, Math.min(payers.size(), from + WALLETS_PER_TRANSACTION));
            Integer n = newTransaction.execute(status -> postWallets(group, arrivalDay, runId, rules, reference));
            written += n == null ? 0 : n;
        }
        return new PostingResult(payers.size(), written);
    }

    /** Posts the wallets (in account order) in the caller's transaction; returns the transactions written. */
    private int postWallets(List<String> payers, LocalDate arrivalDay, String runId, RatingRules rules,
                            ReferenceData reference) {
        List<String> wallets = payers.stream().map(LedgerAccounts::wallet).toList();
        lockInOrder(wallets);
        Map<String, List<UsageDebits.Group>> groups = usageGroups(payers, arrivalDay, rules, reference);
        Map<String, Set<UsageDebits.CarryKey>> keys = new HashMap<>();
        groups.forEach((payer, payerGroups) -> keys.put(payer,
                payerGroups.stream().map(UsageDebits.Group::carryKey).collect(Collectors.toCollection(LinkedHashSet::new))));
        Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> carries = usageCarries.before(keys, runId);
        Map<String, Map<String, Long>> alreadyPosted = debitsAlreadyPosted(payers, runId);
        Map<String, Long> balancesCents = ledger.walletBalancesCents(wallets);

        List<LedgerTxn> txns = new ArrayList<>();
        List<UsageCarries.Change> carryChanges = new ArrayList<>();
        for (String payer : payers) {
            Map<UsageDebits.CarryKey, CarriedRounding> payerCarries = carries.computeIfAbsent(payer, p -> new HashMap<>());
            Map<UsageDebits.CarryKey, CarriedRounding> before = new HashMap<>();
            payerCarries.forEach((key, carry) -> before.put(key, new CarriedRounding(carry.exactUcents(), carry.postedCents())));
            txns.addAll(UsageDebits.plan(payer, balancesCents.get(LedgerAccounts.wallet(payer)),
                    groups.getOrDefault(payer, List.of()), payerCarries,
                    alreadyPosted.getOrDefault(payer, Map.of()), arrivalDay, runId).txns());
            for (UsageDebits.CarryKey key : keys.getOrDefault(payer, Set.of())) {
                carryChanges.add(UsageCarries.Change.of(payer, key, before.getOrDefault(key, new CarriedRounding(0, 0)),
                        payerCarries.get(key)));
            }
        }
        int written = ledger.postAll(txns).size();
        usageCarries.keepNightly(carryChanges, runId);
        return written;
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
                texts(wallets));
    }

    /** Each payer's charged usage of the day by (resource, usage day), in (usage day, resource) order. */
    private Map<String, List<UsageDebits.Group>> usageGroups(List<String> payers, LocalDate arrivalDay,
                                                             RatingRules rules, ReferenceData reference) {
        Map<String, List<UsageDebits.Group>> groups = new HashMap<>();
        jdbc.query("""
                select payer_account_id, resource_id, kind, usage_date, sum(charge_ucents) from usage_event
                where arrival_date = ? and payer_account_id = any(?) and charge_ucents > 0
                group by 1, 2, 3, 4 order by payer_account_id, usage_date, resource_id""", rs -> {
            String resourceId = rs.getString(2);
            UsageKind kind = UsageKind.ofCode(rs.getString(3));
            LocalDate usageDate = rs.getDate(4).toLocalDate();
            groups.computeIfAbsent(rs.getString(1), p -> new ArrayList<>()).add(
                    new UsageDebits.Group(usageOf(reference, rules, resourceId, kind, usageDate), rs.getLong(5)));
        }, Date.valueOf(arrivalDay), texts(payers));
        return groups;
    }

    /** Each payer's debits of this run that a previous attempt already wrote: txn id to charge cents. */
    private Map<String, Map<String, Long>> debitsAlreadyPosted(List<String> payers, String runId) {
        Map<String, Map<String, Long>> posted = new HashMap<>();
        jdbc.query("""
                select account_id, txn_id, charge_cents from ledger_txn
                where run_id = ? and account_id = any(?) and type = 'debit'""", rs -> {
            posted.computeIfAbsent(rs.getString(1), p -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
        }, runId, texts(payers));
        return posted;
    }

    private static SqlArrayValue texts(List<String> values) {
        return new SqlArrayValue("text", values.toArray(String[]::new));
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
