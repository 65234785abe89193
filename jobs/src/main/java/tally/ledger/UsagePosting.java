package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
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
 */
@Component
public class UsagePosting {

    /** Wallets committed together: one commit (and disk flush) per group instead of per wallet. */
    static final int WALLETS_PER_TRANSACTION = 100;

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final TransactionTemplate perWallet;

    public UsagePosting(JdbcTemplate jdbc, LedgerStore ledger, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.perWallet = new TransactionTemplate(transactions);
        this.perWallet.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public record PostingResult(int wallets, int txnsWritten) {
    }

    public PostingResult post(LocalDate arrivalDay, String runId, RatingRules rules, ReferenceData reference,
                              AccountPartition partition) {
        List<String> payers = jdbc.queryForList("""
                select distinct payer_account_id from usage_event
                where arrival_date = ? and charge_ucents > 0 and %s order by 1""".formatted(partition.sql("payer_account_id")),
                String.class, Date.valueOf(arrivalDay));
        int written = 0;
        for (int from = 0; from < payers.size(); from += WALLETS_PER_TRANSACTION) {
            List<String> group = payers.subList(from, Math.min(payers.size(), from + WALLETS_PER_TRANSACTION));
            Integer n = perWallet.execute(status -> group.stream()
                    .mapToInt(payer -> postWallet(payer, arrivalDay, runId, rules, reference)).sum());
            written += n == null ? 0 : n;
        }
        return new PostingResult(payers.size(), written);
    }

    private int postWallet(String payer, LocalDate arrivalDay, String runId, RatingRules rules, ReferenceData reference) {
        // Serialise writers of this wallet (another job posting to it waits here).
        jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", "wallet:" + payer);
        Date arrival = Date.valueOf(arrivalDay);
        List<UsageDebits.Group> groups = new ArrayList<>();
        jdbc.query("""
                select resource_id, kind, usage_date, sum(charge_ucents) from usage_event
                where arrival_date = ? and payer_account_id = ? and charge_ucents > 0
                group by 1, 2, 3 order by usage_date, resource_id""", rs -> {
            String resourceId = rs.getString(1);
            UsageKind kind = UsageKind.ofCode(rs.getString(2));
            LocalDate usageDate = rs.getDate(3).toLocalDate();
            groups.add(new UsageDebits.Group(usageOf(reference, rules, resourceId, kind, usageDate), rs.getLong(4)));
        }, arrival, payer);
        LocalDate firstMonth = groups.stream().map(g -> g.usage().usageDate().withDayOfMonth(1)).min(LocalDate::compareTo).orElseThrow();

        Map<UsageDebits.CarryKey, long[]> before = new HashMap<>();
        jdbc.query("""
                select resource_id, date_trunc('month', usage_date)::date, sum(charge_ucents) from usage_event
                where payer_account_id = ? and arrival_date < ? and usage_date >= ? and charge_ucents > 0
                group by 1, 2""", rs -> {
            before.computeIfAbsent(key(rs.getString(1), rs.getDate(2)), k -> new long[2])[0] = rs.getLong(3);
        }, payer, arrival, Date.valueOf(firstMonth));
        jdbc.query("""
                select resource_id, usage_month, sum(charge_cents) from ledger_txn
                where account_id = ? and type in ('debit', 'refund') and usage_month >= ? and run_date < ?
                group by 1, 2""", rs -> {
            before.computeIfAbsent(key(rs.getString(1), rs.getDate(2)), k -> new long[2])[1] = rs.getLong(3);
        }, payer, Date.valueOf(firstMonth), arrival);
        Map<UsageDebits.CarryKey, CarriedRounding> carries = new HashMap<>();
        before.forEach((k, v) -> carries.put(k, new CarriedRounding(v[0], v[1])));

        Map<String, Long> alreadyPosted = new HashMap<>();
        jdbc.query("select txn_id, charge_cents from ledger_txn where run_id = ? and account_id = ? and type = 'debit'",
                rs -> {
                    alreadyPosted.put(rs.getString(1), rs.getLong(2));
                }, runId, payer);

        long balance = ledger.balanceCents(LedgerAccounts.wallet(payer));
        UsageDebits.Plan plan = UsageDebits.plan(payer, balance, groups, carries, alreadyPosted, arrivalDay, runId);
        int written = 0;
        for (LedgerTxn txn : plan.txns()) {
            written += ledger.post(txn) ? 1 : 0;
        }
        return written;
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
