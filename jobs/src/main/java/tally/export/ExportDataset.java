package tally.export;

import org.apache.avro.Schema;
import tally.infra.AvroParquet;

import java.util.List;

/**
 * One exported table: its Avro schema (of {@code schemas/}) and where its rows for a range of
 * business days come from (both days included): a query that names its columns as the schema's
 * fields, or the rated segments.
 */
public record ExportDataset(String name, Schema schema, ExportRows rows) {

    static ExportDataset of(String schemaName, String sql) {
        return new ExportDataset(schemaName, AvroParquet.schema(schemaName), ExportRows.query(sql));
    }

    /** The rollups, by usage day; only what retention kept. */
    public static final List<ExportDataset> ANALYTICS = List.of(
            of("bot_daily", """
                    select bot_id, usage_date, account_id, messages_received, messages_sent, tokens_input, tokens_output,
                           cost_ucents as total_cost_exact_cents, total_cost_cents, total_charged_cents, unique_users, conversations
                    from bot_daily where usage_date between ? and ? order by usage_date, bot_id"""),
            of("agent_daily", """
                    select endpoint_id, usage_date, account_id, runs, successes, failures, tokens_input, tokens_output,
                           cost_ucents as cost_exact_cents, cost_cents, charged_cents, latency_ms_p50, latency_ms_p95,
                           latency_ms_max, iterations_mean
                    from agent_daily where usage_date between ? and ? order by usage_date, endpoint_id"""),
            of("tool_daily", """
                    select tool_id, usage_date, creator_account_id, calls, gross_cents, fee_cents, creator_net_cents
                    from tool_daily where usage_date between ? and ? order by usage_date, tool_id"""));

    /** Every leg of every transaction whose effective date is in the range, so the amounts sum to zero. */
    public static final ExportDataset LEDGER = of("ledger_entry", """
            select e.txn_id, e.leg, e.ledger_account, e.amount_cents, e.currency, t.type as txn_type,
                   t.account_id as owner_account_id, t.description, t.effective_date, t.written_at, t.run_id,
                   t.resource_id, t.refers_to
            from ledger_entry e join ledger_txn t on t.txn_id = e.txn_id
            where t.effective_date between ? and ? order by t.effective_date, e.txn_id, e.leg""");

    /**
     * Every rated event whose usage day is in the range, from the rated segments, in the order they
     * are kept: by arrival day, then as rated (docs/rulings.md "Rated events").
     */
    public static final ExportDataset RATED = new ExportDataset("rated_event", AvroParquet.schema("rated_event"),
            ExportRows.ratedEvents());

    /** Every line of every invoice whose month starts in the range (pass the first of the month to include it). */
    public static final ExportDataset INVOICES = of("invoice_line", """
            select i.invoice_id, i.account_id, i.month, i.status, i.currency, i.catalog, i.tier,
                   i.total_cents as invoice_total_cents, l.line_no, l.line_id, l.type, l.description, l.quantity,
                   l.amount_cents, l.counter, l.service_month, i.issued_at
            from invoice i join invoice_line l using (invoice_id)
            where i.month between ? and ? order by i.month, i.invoice_id, l.line_no""");
}
