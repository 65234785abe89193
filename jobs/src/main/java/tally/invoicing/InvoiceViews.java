package tally.invoicing;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tally.cli.Json;
import tally.infra.BadInputException;
import tally.infra.TallyConfig.TallySettings;
import tally.money.Money;
import tally.plans.Assessment;
import tally.plans.MonthBill;
import tally.plans.MonthlyUsage;
import tally.plans.Plan;
import tally.plans.PlanCatalogLoader;
import tally.reference.Account;
import tally.reference.ReferenceData;

import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The usage and invoice responses of CONTRACT.md. */
@Component
public class InvoiceViews {

    private final JdbcTemplate jdbc;
    private final UsageAggregation aggregation;
    private final TallySettings settings;

    public InvoiceViews(JdbcTemplate jdbc, UsageAggregation aggregation, TallySettings settings) {
        this.jdbc = jdbc;
        this.aggregation = aggregation;
        this.settings = settings;
    }

    /** {"tier", "period", "usage": {COUNTER: {"used", "limit", "status"}}, "resource_counts"}, live from the data. */
    public Map<String, Object> usage(String accountId, YearMonth period) {
        Account account = ReferenceData.load(jdbc).accounts().get(accountId);
        if (account == null) {
            throw new BadInputException("--account " + accountId + " is not a known account");
        }
        MonthBill bill = MonthBill.of(account, period,
                aggregation.monthly(period, accountId).getOrDefault(accountId, MonthlyUsage.NONE),
                aggregation.purchases(accountId).getOrDefault(accountId, List.of()), PlanCatalogLoader.load(settings.rulesDir()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tier", bill.plan().tier());
        out.put("period", period.toString());
        out.put("usage", counters(bill.counters()));
        out.put("resource_counts", resourceCounts(bill.plan()));
        out.put("catalog", bill.plan().catalog());
        out.put("analytics_retention_days", bill.plan().analyticsRetentionDays());
        return out;
    }

    static Map<String, Object> counters(List<Assessment> assessments) {
        Map<String, Object> counters = new LinkedHashMap<>();
        for (Assessment a : assessments) {
            Map<String, Object> counter = new LinkedHashMap<>();
            counter.put("used", a.used());
            counter.put("limit", a.limit());
            counter.put("status", a.status().code());
            counters.put(a.counter().code(), counter);
        }
        return counters;
    }

    static Map<String, Object> resourceCounts(Plan plan) {
        Map<String, Object> counts = new LinkedHashMap<>();
        plan.resourceCounts().forEach((name, limit) -> {
            Map<String, Object> count = new LinkedHashMap<>();
            count.put("limit", limit);
            counts.put(name, count);
        });
        return counts;
    }

    /** An issued invoice as CONTRACT.md's JSON, plus its plan, period and the usage it was issued on. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> invoice(String accountId, YearMonth month) {
        List<Map<String, Object>> found = jdbc.queryForList("""
                select invoice_id, account_id, status, catalog, tier, billing_interval, total_cents, wallet_charged_cents,
                    wallet_uncollected_cents, usage::text as usage, resource_counts::text as resource_counts
                from invoice where account_id = ? and month = ?""", accountId, Date.valueOf(month.atDay(1)));
        if (found.isEmpty()) {
            throw new BadInputException("no invoice for --account " + accountId + " and --month " + month
                    + " (months are invoiced by close-month --month " + month + ")");
        }
        Map<String, Object> row = found.get(0);
        List<Map<String, Object>> lines = new ArrayList<>();
        jdbc.query("""
                select line_id, type, description, quantity, amount_cents, counter, to_char(service_month, 'YYYY-MM')
                from invoice_line where invoice_id = ? order by line_no""", rs -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("line_id", rs.getString(1));
            line.put("type", rs.getString(2));
            line.put("description", rs.getString(3));
            line.put("quantity", rs.getLong(4));
            line.put("amount_cents", rs.getLong(5));
            line.put("counter", rs.getString(6));
            line.put("service_month", rs.getString(7));
            lines.add(line);
        }, row.get("invoice_id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invoice_id", row.get("invoice_id"));
        out.put("account_id", row.get("account_id"));
        out.put("month", month.toString());
        out.put("status", row.get("status"));
        out.put("currency", Money.CURRENCY.toLowerCase());
        out.put("catalog", row.get("catalog"));
        out.put("tier", row.get("tier"));
        out.put("billing_interval", row.get("billing_interval"));
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("start", month.atDay(1).toString());
        period.put("end", month.atEndOfMonth().toString());
        out.put("period", period);
        out.put("lines", lines);
        out.put("total_cents", ((Number) row.get("total_cents")).longValue());
        Map<String, Object> wallet = new LinkedHashMap<>();
        wallet.put("charged_cents", ((Number) row.get("wallet_charged_cents")).longValue());
        wallet.put("uncollected_cents", ((Number) row.get("wallet_uncollected_cents")).longValue());
        out.put("wallet_usage", wallet);
        out.put("usage", Json.mapper().readValue((String) row.get("usage"), LinkedHashMap.class));
        out.put("resource_counts", Json.mapper().readValue((String) row.get("resource_counts"), LinkedHashMap.class));
        return out;
    }
}
