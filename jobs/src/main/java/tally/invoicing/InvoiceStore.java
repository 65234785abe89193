package tally.invoicing;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tally.cli.Json;
import tally.plans.Counter;
import tally.plans.Invoice;
import tally.plans.InvoiceLine;
import tally.plans.MonthBill;

import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The only code that writes invoices. It inserts; the database refuses updates and deletes, and
 * checks at commit that every invoice has all its lines and that they sum to its total.
 */
@Repository
public class InvoiceStore {

    private final JdbcTemplate jdbc;

    public InvoiceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes the invoice unless one is already issued for its account and month; returns whether it was new. */
    public boolean issue(Invoice invoice, String rulesVersion, String runId) {
        int inserted = jdbc.update("""
                insert into invoice (invoice_id, account_id, month, status, catalog, tier, billing_interval, line_count,
                    total_cents, wallet_charged_cents, wallet_uncollected_cents, usage, resource_counts, rules_version, run_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?::json, ?, ?)
                on conflict do nothing""",
                invoice.invoiceId(), invoice.accountId(), Date.valueOf(invoice.month().atDay(1)), Invoice.ISSUED,
                invoice.plan().catalog(), invoice.plan().tier(), invoice.billingInterval(), invoice.lines().size(),
                invoice.totalCents(), invoice.walletUsage().chargedCents(), invoice.walletUsage().uncollectedCents(),
                Json.compact(InvoiceViews.counters(invoice.usage())),
                Json.compact(InvoiceViews.resourceCounts(invoice.plan())), rulesVersion, runId);
        if (inserted == 0) {
            return false;
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < invoice.lines().size(); i++) {
            InvoiceLine line = invoice.lines().get(i);
            rows.add(new Object[] {invoice.invoiceId(), i + 1, line.lineId(), line.type().code(), line.description(),
                    line.quantity(), line.amountCents(), line.counter() == null ? null : line.counter().code(),
                    line.serviceMonth() == null ? null : Date.valueOf(line.serviceMonth().atDay(1))});
        }
        jdbc.batchUpdate("""
                insert into invoice_line (invoice_id, line_no, line_id, type, description, quantity, amount_cents,
                    counter, service_month) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        return true;
    }

    /** Accounts with an invoice for the month. */
    public Set<String> invoicedAccounts(YearMonth month) {
        return new HashSet<>(jdbc.queryForList("select account_id from invoice where month = ?", String.class,
                Date.valueOf(month.atDay(1))));
    }

    /** Per account and counter: the overage units and cents invoiced so far for usage of the month. */
    public Map<String, Map<Counter, MonthBill.Billed>> billedOverage(YearMonth serviceMonth) {
        Map<String, Map<Counter, MonthBill.Billed>> billed = new HashMap<>();
        jdbc.query("""
                select i.account_id, l.counter, sum(l.quantity), sum(l.amount_cents)
                from invoice_line l join invoice i using (invoice_id)
                where l.service_month = ? and l.counter is not null group by 1, 2""", rs -> {
            billed.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                    .put(Counter.ofCode(rs.getString(2)), new MonthBill.Billed(rs.getLong(3), rs.getLong(4)));
        }, Date.valueOf(serviceMonth.atDay(1)));
        return billed;
    }
}
