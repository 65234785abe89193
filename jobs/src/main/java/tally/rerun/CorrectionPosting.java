package tally.rerun;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.ledger.LedgerAccounts;
import tally.ledger.LedgerStore;
import tally.ledger.LedgerTxn;
import tally.ledger.PostingIds;
import tally.ledger.UsageCarries;
import tally.ledger.UsageDebits;
import tally.ledger.UsagePosting;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.usage.UsageKind;

import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Posts a rerun's differences: for every (wallet, resource, month) with usage in the period, the
 * corrections that bring the ledger back to the carried-rounding result of the (re-rated) exact
 * charges. Recomputed from the data each time, so a second rerun, or a restart after a crash,
 * finds nothing left to post. The kept carried-rounding state of each key corrected is set to the
 * re-rated exact total and the cents posted after the corrections.
 */
@Component
public class CorrectionPosting {

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;
    private final UsageCarries usageCarries;

    public CorrectionPosting(JdbcTemplate jdbc, LedgerStore ledger, UsageCarries usageCarries) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.usageCarries = usageCarries;
    }

    /** The wallets with usage the rerun re-rated, in account order. */
    public List<String> wallets(String runId) {
        return jdbc.queryForList("select distinct payer_account_id from usage_group_rerated where run_id = ? order by 1",
                String.class, runId);
    }

    /** Plans and writes one wallet's corrections inside the caller's transaction; returns the ids written. */
    public List<String> postWallet(String payer, LocalDate from, LocalDate to, String runId, RatingRules rules, ReferenceData reference) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtext(?))", LedgerAccounts.wallet(payer));
        Map<String, List<GroupRow>> byKey = new LinkedHashMap<>();
        // Every group of the keys (resource, month) the rerun re-rated for this wallet, with its exact
        // charge as it now stands: the rerun's (or an earlier rerun's) re-rated value, else the
        // exact charge its nightly debit posted.
        jdbc.query("""
                with keys as (
                    select distinct resource_id, date_trunc('month', usage_date)::date as month from usage_group_rerated
                    where payer_account_id = ? and run_id = ?),
                nightly as (
                    select t.resource_id, t.effective_date as usage_date, t.run_date as arrival_date, t.exact_ucents
                    from ledger_txn t join keys k on k.resource_id = t.resource_id and t.usage_month = k.month
                    where t.account_id = ? and t.type = 'debit' and t.run_id = 'nightly:' || t.run_date),
                rerated as (
                    select g.resource_id, g.usage_date, g.arrival_date, g.kind, g.exact_ucents from usage_group_rerated g
                    join keys k on k.resource_id = g.resource_id and date_trunc('month', g.usage_date)::date = k.month
                    where g.payer_account_id = ?)
                select resource_id, r.kind, date_trunc('month', usage_date)::date, usage_date, arrival_date,
                       coalesce(r.exact_ucents, n.exact_ucents), usage_date between ? and ?
                from nightly n full join rerated r using (resource_id, usage_date, arrival_date)
                order by 1, 3, 5, 4""", rs -> {
            byKey.computeIfAbsent(rs.getString(1) + "/" + rs.getDate(3), k -> new ArrayList<>()).add(new GroupRow(
                    rs.getString(1), rs.getString(2) == null ? null : UsageKind.ofCode(rs.getString(2)),
                    rs.getDate(4).toLocalDate(), rs.getDate(5).toLocalDate(), rs.getLong(6), rs.getBoolean(7)));
        }, payer, runId, payer, payer, Date.valueOf(from), Date.valueOf(to));

        Map<String, long[]> posted = new HashMap<>(); // group -> {charge cents, uncollected cents, corrections so far}
        jdbc.query("""
                select resource_id, effective_date, run_date, sum(charge_cents), sum(uncollected_cents),
                       count(*) filter (where txn_id like 'correction:%')
                from ledger_txn where account_id = ? and type in ('debit', 'refund') and resource_id is not null
                group by 1, 2, 3""", rs -> {
            posted.put(groupKey(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getDate(3).toLocalDate()),
                    new long[] {rs.getLong(4), rs.getLong(5), rs.getLong(6)});
        }, payer);
        Function<GroupRow, long[]> postedOf = g -> posted.getOrDefault(groupKey(g.resourceId, g.usageDate, g.runDate), new long[3]);

        List<UsageDebits.CorrectionGroup> corrections = new ArrayList<>();
        List<UsageCarries.Change> carries = new ArrayList<>();
        for (List<GroupRow> key : byKey.values()) {
            List<Corrections.Group> sequence = key.stream().map(g -> new Corrections.Group(g.usageDate, g.runDate,
                    g.exactUcents, postedOf.apply(g)[0], g.inPeriod)).toList();
            GroupRow any = key.stream().filter(g -> g.kind != null).findFirst().orElseThrow(); // a re-rated group
            List<Corrections.Correction> keyCorrections = Corrections.forKey(sequence);
            if (key.stream().anyMatch(g -> g.inPeriod)) {
                carries.add(new UsageCarries.Change(payer, new UsageDebits.CarryKey(any.resourceId, YearMonth.from(any.usageDate)),
                        sequence.stream().mapToLong(Corrections.Group::exactUcents).sum(),
                        sequence.stream().mapToLong(Corrections.Group::postedCents).sum()
                                + keyCorrections.stream().mapToLong(Corrections.Correction::amountCents).sum(), 0, 0));
            }
            for (Corrections.Correction c : keyCorrections) {
                long[] before = postedOf.apply(new GroupRow(any.resourceId, any.kind, c.usageDate(), c.runDate(), 0, true));
                String debitId = PostingIds.debit(payer, any.resourceId, c.usageDate(), c.runDate());
                corrections.add(new UsageDebits.CorrectionGroup(
                        UsagePosting.usageOf(reference, rules, any.resourceId, any.kind, c.usageDate()), c.runDate(),
                        c.amountCents(), before[1],
                        PostingIds.correction(payer, any.resourceId, c.usageDate(), c.runDate(), (int) before[2] + 1),
                        ledger.exists(debitId) ? debitId : null));
            }
        }
        corrections.sort(Comparator.comparing((UsageDebits.CorrectionGroup c) -> c.usage().usageDate())
                .thenComparing(c -> c.usage().resourceId()).thenComparing(UsageDebits.CorrectionGroup::runDate));
        long balance = ledger.walletBalanceCents(LedgerAccounts.wallet(payer));
        List<String> written = ledger.postAll(UsageDebits.planCorrections(payer, balance, corrections, runId,
                rules.version()).txns()).stream().map(LedgerTxn::txnId).toList();
        usageCarries.keepCorrected(carries);
        return written;
    }

    private static String groupKey(String resourceId, LocalDate usageDate, LocalDate runDate) {
        return resourceId + "/" + usageDate + "/" + runDate;
    }

    private record GroupRow(String resourceId, UsageKind kind, LocalDate usageDate, LocalDate runDate, long exactUcents,
                            boolean inPeriod) {
    }
}
