package tally.invoicing;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import tally.plans.Counter;
import tally.plans.MonthBill;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An issued invoice as an HTML page a customer would recognise (templates/invoice.html.mustache). */
public final class InvoicePage {

    private static final Template TEMPLATE = Mustache.compiler().escapeHTML(true).compile(template());

    private InvoicePage() {
    }

    /** Renders the JSON of {@link InvoiceViews#invoice}. */
    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> invoice) {
        Map<String, Object> page = new LinkedHashMap<>(invoice);
        Map<String, Object> period = (Map<String, Object>) invoice.get("period");
        page.put("period_start", period.get("start"));
        page.put("period_end", period.get("end"));
        page.put("currency", ((String) invoice.get("currency")).toUpperCase(Locale.ROOT));
        page.put("plan_name", MonthBill.displayName((String) invoice.get("catalog"), (String) invoice.get("tier")));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Map<String, Object> line : (List<Map<String, Object>>) invoice.get("lines")) {
            Map<String, Object> row = new LinkedHashMap<>(line);
            row.put("type", ((String) line.get("type")).replace('_', ' '));
            row.put("quantity", MonthBill.number(((Number) line.get("quantity")).longValue()));
            row.put("amount", dollars(((Number) line.get("amount_cents")).longValue()));
            lines.add(row);
        }
        page.put("lines", lines);
        page.put("total", dollars(((Number) invoice.get("total_cents")).longValue()));
        List<Map<String, Object>> usage = new ArrayList<>();
        ((Map<String, Map<String, Object>>) invoice.get("usage")).forEach((code, counter) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("counter", Counter.ofCode(code).label());
            row.put("used", MonthBill.number(((Number) counter.get("used")).longValue()));
            Object limit = counter.get("limit");
            row.put("limit", limit == null ? "Unlimited" : MonthBill.number(((Number) limit).longValue()));
            row.put("status", counter.get("status"));
            usage.add(row);
        });
        page.put("usage", usage);
        Map<String, Object> wallet = (Map<String, Object>) invoice.get("wallet_usage");
        page.put("wallet_charged", dollars(((Number) wallet.get("charged_cents")).longValue()));
        page.put("wallet_uncollected", dollars(((Number) wallet.get("uncollected_cents")).longValue()));
        return TEMPLATE.execute(page);
    }

    /** Whole cents as "$1,234.56" or "-$0.50" (exact: BigDecimal, no floating point). */
    static String dollars(long cents) {
        String amount = String.format(Locale.ROOT, "%,.2f", BigDecimal.valueOf(Math.abs(cents), 2));
        return (cents < 0 ? "-$" : "$") + amount;
    }

    private static String template() {
        try (InputStream in = InvoicePage.class.getResourceAsStream("/templates/invoice.html.mustache")) {
            if (in == null) {
                throw new IllegalStateException("templates/invoice.html.mustache is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
