package tally.invoicing;

import org.springframework.batch.core.job.Job;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tally.cli.Json;
import tally.infra.JobRunner;

import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the month-close job for one month and reports the month's invoices (stored as its run summary). */
@Service
public class CloseMonthRun {

    private final JobRunner runner;
    private final Job closeMonthJob;
    private final JdbcTemplate jdbc;

    public CloseMonthRun(JobRunner runner, Job closeMonthJob, JdbcTemplate jdbc) {
        this.runner = runner;
        this.closeMonthJob = closeMonthJob;
        this.jdbc = jdbc;
    }

    public Map<String, Object> run(YearMonth month) {
        String runId = CloseMonthJobConfig.runId(month);
        JobRunner.Outcome outcome = runner.run(closeMonthJob, CloseMonthJobConfig.parameters(month), runId);
        Date first = Date.valueOf(month.atDay(1));
        List<Map<String, Object>> invoices = new ArrayList<>();
        long[] total = new long[1];
        List<String> unbalanced = new ArrayList<>();
        jdbc.query("""
                select i.account_id, i.invoice_id, i.tier, i.total_cents, i.line_count,
                    i.total_cents = (select coalesce(sum(amount_cents), 0) from invoice_line l where l.invoice_id = i.invoice_id)
                from invoice i where i.month = ? order by i.account_id""", rs -> {
            Map<String, Object> brief = new LinkedHashMap<>();
            brief.put("account_id", rs.getString(1));
            brief.put("invoice_id", rs.getString(2));
            brief.put("tier", rs.getString(3));
            brief.put("total_cents", rs.getLong(4));
            brief.put("lines", rs.getInt(5));
            if (!rs.getBoolean(6)) {
                unbalanced.add(rs.getString(2));
            }
            total[0] += rs.getLong(4);
            invoices.add(brief);
        }, first);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("job", CloseMonthJobConfig.JOB_NAME);
        summary.put("month", month.toString());
        summary.put("status", outcome.alreadyComplete() ? "ALREADY_COMPLETE" : "COMPLETED");
        summary.put("invoices_issued_now", outcome.alreadyComplete() ? 0 : outcome.execution().getStepExecutions()
                .stream().mapToLong(s -> s.getWriteCount()).sum());
        summary.put("invoices", invoices.size());
        summary.put("total_cents", total[0]);
        summary.put("invoices_not_equal_to_their_lines", unbalanced);
        summary.put("controls_ok", unbalanced.isEmpty());
        summary.put("by_account", invoices);
        jdbc.update("""
                insert into run_summary (run_id, job, business_date, summary, controls_ok) values (?, ?, ?, ?::json, ?)
                on conflict (run_id) do nothing""", runId, CloseMonthJobConfig.JOB_NAME, LocalDate.from(month.atDay(1)),
                Json.compact(summary), unbalanced.isEmpty());
        return summary;
    }
}
