package tally.rerun;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tally.analytics.DailyRollups;
import tally.cli.Json;
import tally.infra.BadInputException;
import tally.infra.JobRunner;
import tally.infra.TallyConfig.TallySettings;
import tally.ledger.LedgerChecks;
import tally.reference.ReferenceData;
import tally.rules.RatingRules;
import tally.rules.RulesLoader;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tally rerun}: re-rates a past period with the rules as they now stand and posts only the
 * differences. A dry run does the same work in one transaction, reports it, and rolls it back, so
 * its output is exactly what the real rerun then posts.
 */
@Service
public class RerunService {

    private static final Logger log = LoggerFactory.getLogger(RerunService.class);

    private final Rerating rerating;
    private final CorrectionPosting posting;
    private final DailyRollups rollups;
    private final LedgerChecks checks;
    private final JdbcTemplate jdbc;
    private final TallySettings settings;
    private final PlatformTransactionManager transactions;
    private final JobRunner runner;
    private final Job rerunJob;

    public RerunService(Rerating rerating, CorrectionPosting posting, DailyRollups rollups, LedgerChecks checks,
                        JdbcTemplate jdbc, TallySettings settings, PlatformTransactionManager transactions,
                        JobRunner runner, @Lazy @Qualifier("rerunJob") Job rerunJob) {
        this.rerating = rerating;
        this.posting = posting;
        this.rollups = rollups;
        this.checks = checks;
        this.jdbc = jdbc;
        this.settings = settings;
        this.transactions = transactions;
        this.runner = runner;
        this.rerunJob = rerunJob;
    }

    /** Runs (or, with {@code dryRun}, rehearses) the rerun of usage days {@code from..to}. */
    public Map<String, Object> run(LocalDate from, LocalDate to, boolean dryRun) {
        if (to.isBefore(from)) {
            throw new BadInputException("--to " + to + " is before --from " + from);
        }
        RerunParameters p = new RerunParameters(from, to, rules().version());
        if (dryRun) {
            TransactionTemplate tx = new TransactionTemplate(transactions);
            return tx.execute(status -> {
                Rerating.RerateResult rerated = rerate(p);
                List<String> written = postCorrections(p, false);
                Map<String, Object> report = report(p, rerated, written);
                status.setRollbackOnly();
                return report;
            });
        }
        JobRunner.Outcome outcome = runner.run(rerunJob, p.toJobParameters(), p.runId());
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = new LinkedHashMap<>(Json.mapper().readValue(jdbc.queryForObject(
                "select summary::text from run_summary where run_id = ?", String.class, p.runId()), Map.class));
        stored.put("status", outcome.alreadyComplete() ? "ALREADY_COMPLETE" : "COMPLETED");
        return stored;
    }

    private RatingRules rules() {
        return RulesLoader.load(settings.rulesDir());
    }

    Rerating.RerateResult rerate(RerunParameters p) {
        RatingRules rules = rules();
        if (!rules.version().equals(p.rulesVersion())) {
            throw new IllegalStateException("rating-rules changed since " + p.runId() + " started (now " + rules.version()
                    + "); start a new rerun");
        }
        Rerating.RerateResult result = rerating.rerate(p.runId(), p.from(), p.to(), rules, ReferenceData.load(jdbc));
        jdbc.update("insert into rerun_progress (run_id, events_rerated, events_changed) values (?, ?, ?) "
                + "on conflict (run_id) do update set events_rerated = excluded.events_rerated, "
                + "events_changed = excluded.events_changed", p.runId(), result.rerated(), result.changed());
        log.info("{}: {} events re-rated, {} changed", p.runId(), result.rerated(), result.changed());
        return result;
    }

    /**
     * Posts each wallet's corrections, in its own transaction when {@code perWallet}, else in the
     * caller's; returns the ids written.
     */
    List<String> postCorrections(RerunParameters p, boolean perWallet) {
        RatingRules rules = rules();
        ReferenceData reference = ReferenceData.load(jdbc);
        TransactionTemplate walletTx = new TransactionTemplate(transactions);
        walletTx.setPropagationBehavior(perWallet ? TransactionDefinition.PROPAGATION_REQUIRES_NEW
                : TransactionDefinition.PROPAGATION_REQUIRED);
        List<String> written = new ArrayList<>();
        for (String wallet : posting.wallets(p.runId())) {
            List<String> ids = walletTx.execute(s -> posting.postWallet(wallet, p.from(), p.to(), p.runId(), rules, reference));
            written.addAll(ids == null ? List.of() : ids);
        }
        log.info("{}: {} correction transactions written", p.runId(), written.size());
        return written;
    }

    void rollUp(RerunParameters p) {
        rollups.recomputeUsageDays(p.from(), p.to());
    }

    void summarize(RerunParameters p) {
        Map<String, Object> counts = jdbc.queryForMap("select events_rerated, events_changed from rerun_progress where run_id = ?",
                p.runId());
        Map<String, Object> report = report(p, new Rerating.RerateResult(((Number) counts.get("events_rerated")).longValue(),
                ((Number) counts.get("events_changed")).longValue()), null);
        if (!Boolean.TRUE.equals(report.get("controls_ok"))) {
            throw new IllegalStateException("ledger invariants do not hold after " + p.runId() + ": " + report.get("controls"));
        }
        jdbc.update("""
                insert into run_summary (run_id, job, business_date, rules_version, summary, controls_ok)
                values (?, ?, ?, ?, ?::json, true)
                on conflict (run_id) do update set summary = excluded.summary, written_at = clock_timestamp()""",
                p.runId(), RerunJobConfig.JOB_NAME, Date.valueOf(p.to()), p.rulesVersion(), Json.compact(report));
    }

    /**
     * The rerun's corrections read back from the ledger, with totals and controls: those written by a
     * dry run ({@code dryRunIds}), or everything posted under the run id (null).
     */
    private Map<String, Object> report(RerunParameters p, Rerating.RerateResult rerated, List<String> dryRunIds) {
        boolean dryRun = dryRunIds != null;
        List<Map<String, Object>> corrections = new ArrayList<>();
        long[] totals = new long[4]; // debits, refunds, uncollected, creator earnings
        jdbc.query("""
                select txn_id, account_id, type, resource_id, effective_date, run_date, amount_cents, charge_cents,
                       collected_cents, uncollected_cents, refers_to
                from ledger_txn where run_id = ? and (? or txn_id = any(?)) order by txn_id""", rs -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", rs.getString(1));
            c.put("account_id", rs.getString(2));
            c.put("type", rs.getString(3));
            c.put("resource_id", rs.getString(4));
            c.put("usage_date", rs.getDate(5).toLocalDate().toString());
            c.put("corrects_run_date", rs.getDate(6).toLocalDate().toString());
            c.put("amount_cents", rs.getLong(7));
            c.put("charge_difference_cents", rs.getObject(8));
            c.put("uncollected_cents", rs.getObject(10));
            c.put("refers_to", rs.getString(11));
            corrections.add(c);
            switch (rs.getString(3)) {
                case "debit" -> totals[0] += rs.getLong(8);
                case "refund" -> totals[1] -= rs.getLong(8);
                case "earning" -> totals[3] += rs.getLong(7);
                default -> { }
            }
            totals[2] += rs.getLong(10);
        }, p.runId(), !dryRun, dryRun ? dryRunIds.toArray(String[]::new) : new String[0]);
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("further_debits_cents", totals[0]);
        money.put("refunds_cents", totals[1]);
        money.put("net_charge_difference_cents", totals[0] - totals[1]);
        money.put("uncollected_difference_cents", totals[2]);
        money.put("creator_earnings_difference_cents", totals[3]);
        Map<String, Object> controls = new LinkedHashMap<>();
        checks.violations().forEach((name, ids) -> controls.put("ledger_" + name, ids.isEmpty()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job", RerunJobConfig.JOB_NAME);
        out.put("run_id", p.runId());
        out.put("from", p.from().toString());
        out.put("to", p.to().toString());
        out.put("rules_version", p.rulesVersion());
        out.put("dry_run", dryRun);
        out.put("events_rerated", rerated.rerated());
        out.put("events_changed", rerated.changed());
        out.put("money", money);
        out.put("corrections", corrections);
        out.put("controls", controls);
        out.put("controls_ok", controls.values().stream().allMatch(Boolean.TRUE::equals));
        return out;
    }
}
