package tally.report;

import tally.cli.Json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders a {@link ReportData} as one self-contained HTML page: figures as text (readable without
 * scripts), charts drawn by the inlined Chart.js. Pure: data in, HTML out; no network at view time.
 */
public final class ReportPage {

    private ReportPage() {
    }

    public static String render(ReportData data) {
        Map<String, Object> events = data.section("events");
        Map<String, Object> money = data.section("money");
        Map<String, Object> controls = data.section("controls");
        boolean ok = Boolean.TRUE.equals(data.summary().get("controls_ok"));
        Map<String, Object> rejects = data.rejectsByReason();

        StringBuilder body = new StringBuilder();
        body.append("<header><div><h1>Nightly run ").append(data.date()).append("</h1><p class=\"sub\">Tally run report")
                .append(" &middot; rules ").append(esc(String.valueOf(data.summary().get("rules_version"))))
                .append(" &middot; ").append(esc(String.valueOf(data.summary().get("wall_time_ms")))).append(" ms</p></div>")
                .append("<span class=\"badge ").append(ok ? "ok\">&#10003; control totals hold" : "bad\">&#10007; control totals fail")
                .append("</span></header>\n");

        body.append("<section class=\"kpis\">");
        kpi(body, "Events read", count(events.get("read")), null);
        kpi(body, "Rated", count(events.get("rated")), null);
        kpi(body, "Duplicates", count(events.get("duplicates")), null);
        kpi(body, "Rejected", count(events.get("rejected")), null);
        kpi(body, "Capped", count(events.get("capped")), null);
        kpi(body, "Cost", dollars(money.get("cost_cents")), "exact cost of the events rated");
        kpi(body, "Charges", dollars(money.get("charges_computed_cents")), "computed");
        kpi(body, "Debits posted", dollars(money.get("debits_posted_cents")), null);
        kpi(body, "Uncollected", dollars(money.get("uncollected_cents")), null);
        kpi(body, "Creator earnings", dollars(money.get("creator_earnings_cents")), null);
        body.append("</section>\n<section class=\"grid\">\n");

        card(body, "wide", "Cost and charges per usage day", "last " + RunReport.WINDOW_DAYS + " days, from the rollups",
                "days", data.days().isEmpty(),
                table(List.of("Day", "Cost", "Charged"), data.days(),
                        d -> List.of(d.date().toString(), dollars(d.costCents()), dollars(d.chargedCents()))));
        card(body, "", "Top bots by cost", "same window", "bots", data.topBots().isEmpty(), rankedTable("Bot", data.topBots()));
        card(body, "", "Top agent endpoints by cost", "same window", "endpoints", data.topEndpoints().isEmpty(),
                rankedTable("Endpoint", data.topEndpoints()));
        card(body, "", "Rejects by reason", "this run", "rejects", rejects.isEmpty(),
                table(List.of("Reason", "Rows"), new ArrayList<>(rejects.entrySet()),
                        e -> List.of(e.getKey(), count(e.getValue()))));
        card(body, "", "Uncollected by wallet", "this run", "uncollected", data.uncollected().isEmpty(),
                rankedTable("Wallet", data.uncollected()));
        card(body, "wide", "Control totals", "each run proves its own arithmetic", null, controls.isEmpty(),
                table(List.of("Control", "Holds"), new ArrayList<>(controls.entrySet()),
                        e -> List.of(e.getKey().replace('_', ' '), Boolean.TRUE.equals(e.getValue()) ? "&#10003; yes" : "&#10007; NO")));
        body.append("</section>\n");

        return TEMPLATE.replace("{{title}}", "Tally nightly run " + data.date())
                .replace("{{body}}", body)
                .replace("{{data}}", Json.compact(chartData(data, rejects)).replace("</", "<\\/"))
                .replace("{{chartjs}}", ChartJs.source());
    }

    private static Map<String, Object> chartData(ReportData data, Map<String, Object> rejects) {
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("days", Map.of("labels", data.days().stream().map(d -> d.date().toString()).toList(),
                "cost", data.days().stream().map(ReportData.DayTotals::costCents).toList(),
                "charged", data.days().stream().map(ReportData.DayTotals::chargedCents).toList()));
        charts.put("bots", ranked(data.topBots()));
        charts.put("endpoints", ranked(data.topEndpoints()));
        charts.put("rejects", Map.of("labels", List.copyOf(rejects.keySet()), "values", List.copyOf(rejects.values())));
        charts.put("uncollected", ranked(data.uncollected()));
        return charts;
    }

    private static Map<String, Object> ranked(List<ReportData.Ranked> rows) {
        return Map.of("labels", rows.stream().map(ReportData.Ranked::name).toList(),
                "values", rows.stream().map(ReportData.Ranked::cents).toList());
    }

    private static void kpi(StringBuilder out, String label, String value, String note) {
        out.append("<div class=\"kpi\"><span class=\"label\">").append(esc(label)).append("</span><span class=\"value\">")
                .append(value).append("</span>");
        if (note != null) {
            out.append("<span class=\"note\">").append(esc(note)).append("</span>");
        }
        out.append("</div>");
    }

    /** A card with a chart (when {@code chart} names one and there is data) above its figures. */
    private static void card(StringBuilder out, String cssClass, String title, String note, String chart, boolean empty,
                             String figures) {
        out.append("<article class=\"card ").append(cssClass).append("\"><h2>").append(esc(title))
                .append(" <small>").append(esc(note)).append("</small></h2>");
        if (empty) {
            out.append("<p class=\"empty\">None</p>");
        } else {
            if (chart != null) {
                out.append("<div class=\"chart\"><canvas id=\"chart-").append(chart).append("\"></canvas></div>");
            }
            out.append(figures);
        }
        out.append("</article>\n");
    }

    private static String rankedTable(String what, List<ReportData.Ranked> rows) {
        return table(List.of(what, "Amount"), rows, r -> List.of(
                r.name().equals(r.id()) ? esc(r.id()) : esc(r.name()) + " <code>" + esc(r.id()) + "</code>",
                dollars(r.cents())));
    }

    /** Cells are HTML already: callers escape text (ids, names, reasons go through {@link #esc}). */
    private static <T> String table(List<String> header, List<T> rows, Function<T, List<String>> cells) {
        StringBuilder out = new StringBuilder("<table><thead><tr>");
        header.forEach(h -> out.append("<th>").append(esc(h)).append("</th>"));
        out.append("</tr></thead><tbody>");
        for (T row : rows) {
            out.append("<tr>");
            cells.apply(row).forEach(c -> out.append("<td>").append(c).append("</td>"));
            out.append("</tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    /** Whole cents as dollars, e.g. 1234 -> $12.34 (a change of unit, no rounding). */
    static String dollars(Object cents) {
        if (!(cents instanceof Number n)) {
            return "&ndash;";
        }
        BigDecimal usd = BigDecimal.valueOf(n.longValue(), 2);
        return (usd.signum() < 0 ? "-$" + usd.negate().toPlainString() : "$" + usd.toPlainString());
    }

    private static String count(Object value) {
        return value instanceof Number n ? String.format("%,d", n.longValue()) : "&ndash;";
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <style>
            :root { --ink:#1d2433; --muted:#6b7385; --line:#e3e6ee; --bg:#f5f6fa; --cost:#4c6ef5; --charged:#12b886;
                    --warn:#f59f00; --bad:#e03131; }
            * { box-sizing: border-box; }
            body { margin:0; padding:28px 36px 40px; background:var(--bg); color:var(--ink);
                   font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
            header { display:flex; justify-content:space-between; align-items:center; margin-bottom:20px; }
            h1 { font-size:24px; margin:0; letter-spacing:-0.01em; }
            .sub { margin:2px 0 0; color:var(--muted); }
            .badge { padding:7px 14px; border-radius:999px; font-weight:600; }
            .badge.ok { background:#d3f9d8; color:#2b8a3e; } .badge.bad { background:#ffe3e3; color:var(--bad); }
            .kpis { display:grid; grid-template-columns:repeat(5, 1fr); gap:12px; margin-bottom:18px; }
            .kpi { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; display:flex; flex-direction:column; }
            .kpi .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
            .kpi .value { font-size:22px; font-weight:650; font-variant-numeric:tabular-nums; }
            .kpi .note { color:var(--muted); font-size:11px; }
            .grid { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:16px; }
            .card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:16px 18px; }
            .card.wide { grid-column:1 / -1; }
            h2 { font-size:15px; margin:0 0 10px; } h2 small { color:var(--muted); font-weight:400; margin-left:6px; }
            .chart { position:relative; height:240px; margin-bottom:10px; }
            .card.wide .chart { height:260px; }
            table { width:100%; border-collapse:collapse; font-size:12.5px; font-variant-numeric:tabular-nums; }
            th, td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); }
            th { color:var(--muted); font-weight:500; } td:not(:first-child), th:not(:first-child) { text-align:right; }
            code { color:var(--muted); font-size:11.5px; }
            .empty { color:var(--muted); font-style:italic; margin:8px 0; }
            </style></head>
            <body>
            {{body}}
            <script type="application/json" id="report-data">{{data}}</script>
            <script>{{chartjs}}</script>
            <script>
            (function () {
              const data = JSON.parse(document.getElementById('report-data').textContent);
              const usd = c => (c < 0 ? '-$' : '$') + (Math.abs(c) / 100).toFixed(2);
              Chart.defaults.animation = false;
              Chart.defaults.datasets.bar.maxBarThickness = 36;
              Chart.defaults.datasets.bar.borderRadius = 4;
              Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
              Chart.defaults.color = '#6b7385';
              const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
              function chart(id, type, labels, datasets, options) {
                const canvas = document.getElementById('chart-' + id);
                if (!canvas) return;
                new Chart(canvas, { type, data: { labels, datasets }, options: Object.assign({
                  responsive: true, maintainAspectRatio: false,
                  plugins: { legend: { display: datasets.length > 1, position: 'bottom' } } }, options) });
              }
              const money = { ticks: { callback: v => usd(v) } };
              const moneyTips = { callbacks: { label: c => (c.dataset.label ? c.dataset.label + ': ' : '') + usd(c.raw) } };
              chart('days', 'bar', data.days.labels, [
                { label: 'Cost', data: data.days.cost, backgroundColor: css('--cost')},
                { label: 'Charged', data: data.days.charged, backgroundColor: css('--charged')}],
                { scales: { y: money }, datasets: { bar: { maxBarThickness: 64, categoryPercentage: 0.6 } },
                  plugins: { legend: { position: 'bottom' }, tooltip: moneyTips } });
              const ranking = (id, color) => chart(id, 'bar', data[id].labels,
                [{ data: data[id].values, backgroundColor: css(color)}],
                { indexAxis: 'y', scales: { x: money }, plugins: { legend: { display: false }, tooltip: moneyTips } });
              ranking('bots', '--cost');
              ranking('endpoints', '--cost');
              ranking('uncollected', '--bad');
              chart('rejects', 'bar', data.rejects.labels,
                [{ data: data.rejects.values, backgroundColor: css('--warn')}],
                { indexAxis: 'y', scales: { x: { ticks: { precision: 0 } } }, plugins: { legend: { display: false } } });
            })();
            </script>
            </body></html>
            """;
}
