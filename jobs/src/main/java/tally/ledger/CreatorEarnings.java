package tally.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.reference.ReferenceData;
import tally.reference.Tool;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A nightly run's creator earnings: one per (tool, usage day) for which the run's debits collected
 * anything, crediting the tool's creator the sum over those debits of
 * {@code collected - round_half_even(collected x fee)} (RULES.md: the fee is taken per debit, on
 * what was collected). The amounts come from the buckets' tool parts ({@code tool_day_part}),
 * written with the debits; the run's control totals recompute them from the debits themselves.
 * Idempotent: the earnings' ids are derived from (tool, usage day, arrival day).
 */
@Component
public class CreatorEarnings {

    private final JdbcTemplate jdbc;
    private final LedgerStore ledger;

    public CreatorEarnings(JdbcTemplate jdbc, LedgerStore ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /** Posts the run's earnings in the caller's transaction; returns how many were written. */
    public int post(LocalDate arrivalDay, String runId, ReferenceData reference) {
        List<LedgerTxn> earnings = new ArrayList<>();
        jdbc.query("""
                select tool_id, usage_date, sum(collected_cents), sum(fee_cents) from tool_day_part
                where arrival_date = ? group by 1, 2 having sum(collected_cents) <> 0 order by 1, 2""", rs -> {
            Tool tool = reference.tools().get(rs.getString(1));
            if (tool == null) {
                throw new IllegalStateException("tool " + rs.getString(1) + " of " + runId + " is no longer in the reference data");
            }
            LocalDate usageDate = rs.getDate(2).toLocalDate();
            earnings.add(UsageDebits.earning(PostingIds.toolEarning(tool.toolId(), usageDate, arrivalDay),
                    tool.creatorAccountId(), tool.toolId(), tool.name(), usageDate, rs.getLong(3), rs.getLong(4), null,
                    runId, arrivalDay));
        }, Date.valueOf(arrivalDay));
        return ledger.postAll(earnings).size();
    }
}
