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
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts one arrival day's rated usage to the ledger, wallets in account order and each wallet's
 * debits in (usage day, resource) order, {@link #WALLETS_PER_TRANSACTION} wallets per database
 * transaction. A wallet's postings commit together, so after a crash a wallet is either fully
 * posted (its ids are found and skipped) or not at all, and a restart gives exactly the
 * uninterrupted result.
 *
 * <p>Each group of wallets costs a fixed number of statements, not a few per wallet: the locks in
 * one, each read for all of the group's wallets at once, the planning in memory
 * ({@link UsageDebits#plan}, one wallet at a time), the writes in two ({@link LedgerStore#postAll}).
 */
@Component
public class UsagePosting {

    /** Wallets committed together: one commit (and disk flush) and one set of statements per group. */
    static final int WALLETS_PER_TRANSACTION = 100;

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final TransactionTemplate newTransaction;

    public UsagePosting(JdbcTemplate jdbc, LedgerStore ledger, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ledger = ledger;
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
        Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> carries = carriesBefore(groups, arrivalDay);
        Map<String, Map<String, Long>> alreadyPosted = debitsAlreadyPosted(payers, runId);
        Map<String, Long> balancesCents = ledger.walletBalancesCents(wallets);

        List<LedgerTxn> txns = new ArrayList<>();
        for (String payer : payers) {
            txns.addAll(UsageDebits.plan(payer, balancesCents.get(LedgerAccounts.wallet(payer)),
                    groups.getOrDefault(payer, List.of()), carries.computeIfAbsent(payer, p -> new HashMap<>()),
                    alreadyPosted.getOrDefault(payer, Map.of()), arrivalDay, runId).txns());
        }
        return ledger.postAll(txns).size();
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

    /**
     * Each payer's carried-rounding state per (resource, month) before this run: the exact charges
     * that arrived earlier and the cents posted for them by earlier runs, from the first month the
     * payer's usage of the day falls in. That month is the payer's own (a late event reaches back
     * for its wallet only), so each read is the per-payer query, run laterally for every (payer,
     * first month) pair. As a plain join it was planned, while usage_event's statistics still
     * predated the day's rows, as a scan of the whole day: 0.2 s a group instead of 2 ms.
     */
    private Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> carriesBefore(
            Map<String, List<UsageDebits.Group>> groups, LocalDate arrivalDay) {
        List<String> payers = new ArrayList<>(groups.keySet());
        Date[] firstMonths = payers.stream().map(payer -> Date.valueOf(groups.get(payer).stream()
                .map(g -> g.usage().usageDate().withDayOfMonth(1)).min(LocalDate::compareTo).orElseThrow()))
                .toArray(Date[]::new);
        Map<String, Map<UsageDebits.CarryKey, long[]>> before = new HashMap<>(); // {exact ucents, posted cents}
        jdbc.query("""
                select w.payer, h.resource_id, h.month, h.exact_ucents
                from unnest(?::text[], ?::date[]) as w(payer, first_month) cross join lateral (
                    select resource_id, date_trunc('month', usage_date)::date as month, sum(charge_ucents) as exact_ucents
                    from usage_event
                    where payer_account_id = w.payer and arrival_date < ? and usage_date >= w.first_month
                      and arrival_date >= w.first_month - 1 and charge_ucents > 0
                    group by 1, 2) h""", rs -> {
            before.computeIfAbsent(rs.getString(1), p -> new HashMap<>())
                    .computeIfAbsent(key(rs.getString(2), rs.getDate(3)), k -> new long[2])[0] = rs.getLong(4);
        }, texts(payers), new SqlArrayValue("date", firstMonths), Date.valueOf(arrivalDay));
        jdbc.query("""
                select w.payer, h.resource_id, h.usage_month, h.posted_cents
                from unnest(?::text[], ?::date[]) as w(payer, first_month) cross join lateral (
                    select resource_id, usage_month, sum(charge_cents) as posted_cents
                    from ledger_txn
                    where account_id = w.payer and type in ('debit', 'refund') and usage_month >= w.first_month
                      and run_date < ?
                    group by 1, 2) h""", rs -> {
            before.computeIfAbsent(rs.getString(1), p -> new HashMap<>())
                    .computeIfAbsent(key(rs.getString(2), rs.getDate(3)), k -> new long[2])[1] = rs.getLong(4);
        }, texts(payers), new SqlArrayValue("date", firstMonths), Date.valueOf(arrivalDay));
        Map<String, Map<UsageDebits.CarryKey, CarriedRounding>> carries = new HashMap<>();
        before.forEach((payer, sums) -> sums.forEach((k, v) ->
                carries.computeIfAbsent(payer, p -> new HashMap<>()).put(k, new CarriedRounding(v[0], v[1]))));
        return carries;
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

    private static UsageDebits.CarryKey key(String resourceId, Date month) {
        return new UsageDebits.CarryKey(resourceId, YearMonth.from(month.toLocalDate()));
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
