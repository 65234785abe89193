package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.infra.BadInputException;
import tally.invoicing.CloseMonthRun;
import tally.ledger.LedgerChecks;
import tally.nightly.NightlyParameters;
import tally.nightly.NightlyRun;
import tally.payouts.PayoutSchedule;
import tally.payouts.Payouts;
import tally.reference.ReferenceImporter;
import tally.usage.RowValidator;
import tally.wallet.WalletViews;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The whole pipeline on sample-data/ from an empty database: import reference data, run every sample "
                + "day nightly, close the month, run the next weekly and monthly payouts (skipped without STRIPE_API_KEY), verify the ledger; prints a summary. Embedded mode uses a fresh database under <home>/demo "
                + "each time; with --db it runs on that database (every step is idempotent).")
class DemoCommand extends DbCommand {

    @Option(names = "--sample", paramLabel = "DIR", defaultValue = "sample-data",
            description = "Sample data folder with reference/ and usage/ (default: ${DEFAULT-VALUE}).")
    Path sample;

    @Override
    public Integer call() {
        if (!Files.isDirectory(sample.resolve("reference")) || !Files.isDirectory(sample.resolve("usage"))) {
            throw new BadInputException("--sample " + sample + " must hold reference/ and usage/ folders");
        }
        if (db.effectiveDbUrl().isBlank()) {
            Path demoHome = Path.of(db.home).resolve("demo");
            deleteTree(demoHome);
            db.home = demoHome.toString();
        }
        return super.call();
    }

    @Override
    int execute(ConfigurableApplicationContext context) {
        ReferenceImporter.ImportResult imported = context.getBean(ReferenceImporter.class).importDir(sample.resolve("reference"));
        NightlyRun nightly = context.getBean(NightlyRun.class);
        List<Map<String, Object>> runs = new ArrayList<>();
        boolean controlsOk = true;
        for (LocalDate day : sampleDays(sample.resolve("usage"))) {
            Map<String, Object> summary = nightly.run(new NightlyParameters(day, sample.resolve("usage").toAbsolutePath(),
                    NightlyParameters.DEFAULT_MAX_REJECT_RATE, RowValidator.DEFAULT_LATENESS));
            runs.add(summary);
            controlsOk &= Boolean.TRUE.equals(summary.get("controls_ok"));
        }
        Map<String, Object> invoices = new LinkedHashMap<>();
        for (YearMonth month : sampleDays(sample.resolve("usage")).stream().map(YearMonth::from).distinct().toList()) {
            Map<String, Object> closed = context.getBean(CloseMonthRun.class).run(month);
            invoices.put(month.toString(), closed.get("total_cents"));
            controlsOk &= Boolean.TRUE.equals(closed.get("controls_ok"));
        }
        List<LocalDate> days = sampleDays(sample.resolve("usage"));
        LocalDate last = days.get(days.size() - 1);
        Payouts payouts = context.getBean(Payouts.class);
        List<Object> payoutRuns = List.of(
                payouts.run(PayoutSchedule.WEEKLY, last.with(TemporalAdjusters.next(DayOfWeek.MONDAY)), false),
                payouts.run(PayoutSchedule.MONTHLY, last.with(TemporalAdjusters.firstDayOfNextMonth()), false));
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        WalletViews views = context.getBean(WalletViews.class);
        Map<String, Object> wallets = new LinkedHashMap<>();
        for (String account : jdbc.queryForList("select account_id from wallet order by 1", String.class)) {
            Map<String, Object> balance = views.balance(account);
            Map<String, Object> brief = new LinkedHashMap<>();
            brief.put("balance_cents", balance.get("balance_cents"));
            brief.put("lifetime_spent_cents", balance.get("lifetime_spent_cents"));
            brief.put("uncollected_cents", balance.get("uncollected_cents"));
            brief.put("level", balance.get("level"));
            wallets.put(account, brief);
        }
        Map<String, Object> creators = new LinkedHashMap<>();
        for (String account : jdbc.queryForList("select distinct creator_account_id from tool order by 1", String.class)) {
            creators.put(account, views.earnings(account).get("balance_cents"));
        }
        LedgerChecks checks = context.getBean(LedgerChecks.class);
        boolean ledgerOk = LedgerChecks.allHold(checks.violations())
                && LedgerChecks.allHold(checks.carriedRoundingViolations());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("imported", imported.rowsByFile());
        out.put("nightly_runs", runs.stream().map(DemoCommand::brief).toList());
        out.put("invoices_total_cents_by_month", invoices);
        out.put("wallets", wallets);
        out.put("creator_balances_cents", creators);
        out.put("payout_runs", payoutRuns);
        out.put("controls_ok", controlsOk);
        out.put("ledger_ok", ledgerOk);
        out.put("ledger_hash", checks.canonicalHash());
        printJson(out);
        return controlsOk && ledgerOk ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> brief(Map<String, Object> run) {
        Map<String, Object> events = (Map<String, Object>) run.getOrDefault("events", Map.of());
        Map<String, Object> money = (Map<String, Object>) run.getOrDefault("money", Map.of());
        Map<String, Object> brief = new LinkedHashMap<>();
        brief.put("date", run.get("date"));
        brief.put("status", run.get("status"));
        brief.put("read", events.get("read"));
        brief.put("rated", events.get("rated"));
        brief.put("duplicates", events.get("duplicates"));
        brief.put("rejected", events.get("rejected"));
        brief.put("capped", events.get("capped"));
        brief.put("charges_computed_cents", money.get("charges_computed_cents"));
        brief.put("debits_posted_cents", money.get("debits_posted_cents"));
        brief.put("uncollected_cents", money.get("uncollected_cents"));
        brief.put("creator_earnings_cents", money.get("creator_earnings_cents"));
        brief.put("controls_ok", run.get("controls_ok"));
        return brief;
    }

    static List<LocalDate> sampleDays(Path usage) {
        try (Stream<Path> dirs = Files.list(usage)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("date="))
                    .map(n -> LocalDate.parse(n.substring(5))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
