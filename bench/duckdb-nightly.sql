-- The nightly's set-based work in DuckDB, as a reference point for bench/run (tally.bench.NightlyBench).
-- Placeholders: ${day} (the arrival day), ${usage} (the day's partition), ${reference} (reference CSVs), ${rules} (rating-rules),
-- ${out} (where the rated Parquet goes). Statements are separated by ";" at a line end; the last one
-- returns the control totals that the benchmark compares with Tally's usage_event.
--
-- Same as Tally: row checks, dedup by event_id (first in file name, row order), unknown accounts,
-- resources and prices rejected, price join on (provider, model) effective at occurred_at with the
-- workers-ai wildcard, charges per kind and billing mode, rated Parquet, postings per
-- (payer, resource, usage day), daily bot analytics.
-- Not done here: spending caps (sequential per bot), carried rounding against earlier postings,
-- the double-entry ledger, rejects file. DuckDB therefore does strictly less work than Tally.
--
-- Written as DuckDB is fastest at it (session 12): the file is read once, only the columns the rating
-- uses, straight into the deduplicated table, and insertion order is not kept (nothing here depends
-- on it; the dedup orders by file name and row number itself). Until session 12 the whole file,
-- all columns and its name on every row, was first copied into a temp table and deduplicated from
-- there: ~10 GB resident and 75-81 s on this VM (57 s of it in the kernel: 3.0M page faults),
-- against ~4 GB and 30-33 s this way, with the same totals.

set preserve_insertion_order = false;

create temp table accepted as
select event_id, occurred_at, kind, account_id, resource_id, provider, model, billing_mode, conversation_id,
       end_user_id, status, tokens_input, tokens_output, quantity
from read_parquet('${usage}/*.parquet', filename = true, file_row_number = true)
where event_id is not null and event_id <> '' and occurred_at is not null and account_id is not null
  and status in ('success', 'failed')
  and occurred_at >= timestamptz '${day} 00:00:00+00' - interval 35 days
  and occurred_at <= timestamptz '${day} 00:00:00+00' + interval 25 hours
  and kind in ('bot_message', 'agent_run', 'tool_call', 'api_request', 'gateway_request', 'mcp_proxy_call',
               'logic_engine_call', 'storage_snapshot')
  and coalesce(tokens_input, 0) >= 0 and coalesce(tokens_output, 0) >= 0 and coalesce(quantity, 0) >= 0
  and (kind not in ('bot_message', 'agent_run')
       or (provider is not null and model is not null and tokens_input is not null and tokens_output is not null))
qualify row_number() over (partition by event_id order by filename, file_row_number) = 1;

create temp table prices as
select provider, model, effective_from::timestamptz as effective_from, effective_to::timestamptz as effective_to,
       (input_usd_per_mtok * 100)::bigint as in_ucents_per_token,
       (output_usd_per_mtok * 100)::bigint as out_ucents_per_token
from read_csv('${rules}/model-prices.csv', comment = '#', header = true,
              types = {'effective_to': 'DATE', 'input_usd_per_mtok': 'DECIMAL(12,2)', 'output_usd_per_mtok': 'DECIMAL(12,2)'});

create temp table accounts as select account_id from read_csv('${reference}/accounts.csv', header = true);
create temp table bots as select bot_id, account_id, billing_mode from read_csv('${reference}/bots.csv', header = true);
create temp table endpoints as select endpoint_id, account_id, price_per_run_cents
    from read_csv('${reference}/agent_endpoints.csv', header = true);
create temp table tools as select tool_id, price_cents from read_csv('${reference}/tools.csv', header = true);

create temp table rated as
with joined as (
    select e.*,
           coalesce(b.account_id, ep.account_id) as owner_id,
           coalesce(e.billing_mode, b.billing_mode) as mode,
           p.in_ucents_per_token, p.out_ucents_per_token,
           ep.price_per_run_cents, t.price_cents as tool_price_cents,
           (b.bot_id is not null or ep.endpoint_id is not null or t.tool_id is not null) as resource_known
    from accepted e
    join accounts a on a.account_id = e.account_id
    left join bots b on e.kind = 'bot_message' and b.bot_id = e.resource_id
    left join endpoints ep on e.kind = 'agent_run' and ep.endpoint_id = e.resource_id
    left join tools t on e.kind = 'tool_call' and t.tool_id = e.resource_id
    left join prices p on e.kind in ('bot_message', 'agent_run') and p.provider = e.provider
        and (p.model = e.model or (p.provider = 'workers-ai' and p.model = '*'))
        and e.occurred_at >= p.effective_from and (p.effective_to is null or e.occurred_at < p.effective_to)
)
select event_id, occurred_at, (occurred_at at time zone 'UTC')::date as usage_date, kind, account_id, resource_id,
       conversation_id, end_user_id, status, coalesce(tokens_input, 0) as tokens_input,
       coalesce(tokens_output, 0) as tokens_output, coalesce(quantity, 1) as quantity,
       case when kind in ('bot_message', 'agent_run') then owner_id else account_id end as payer_account_id,
       case when kind = 'bot_message' then mode else billing_mode end as billing_mode,
       case when kind in ('bot_message', 'agent_run')
                then tokens_input * in_ucents_per_token + tokens_output * out_ucents_per_token
            when kind = 'tool_call' then tool_price_cents * 1000000
            else 0 end as cost_ucents,
       case when status <> 'success' then 0
            when kind = 'bot_message' and mode = 'wallet' then tokens_input * in_ucents_per_token + tokens_output * out_ucents_per_token
            when kind = 'agent_run' then price_per_run_cents * 1000000
            when kind = 'tool_call' then tool_price_cents * 1000000
            else 0 end as charge_ucents
from joined
where (kind not in ('bot_message', 'agent_run', 'tool_call') or resource_known)
  and (kind not in ('bot_message', 'agent_run') or (owner_id = account_id and in_ucents_per_token is not null));

copy (select event_id, occurred_at, usage_date, kind, account_id, payer_account_id, resource_id, billing_mode, status,
             tokens_input, tokens_output, quantity,
             (cost_ucents / 1000000)::decimal(18, 6) as cost_cents, (charge_ucents / 1000000)::decimal(18, 6) as charge_cents
      from rated)
to '${out}/rated-events.parquet' (format parquet, compression snappy);

create temp table postings as
select payer_account_id, resource_id, usage_date, sum(charge_ucents) as charge_ucents
from rated where charge_ucents > 0
group by all;

create temp table bot_daily as
select resource_id as bot_id, usage_date, count(*) as messages_received,
       count(*) filter (where status = 'success') as messages_sent,
       sum(tokens_input) as tokens_input, sum(tokens_output) as tokens_output,
       sum(cost_ucents) as cost_ucents, sum(charge_ucents) as charged_ucents,
       count(distinct end_user_id) as unique_users, count(distinct conversation_id) as conversations
from rated where kind = 'bot_message'
group by all;

select (select count(*) from read_parquet('${usage}/*.parquet')) as rows_read,
       (select count(*) from rated) as rated,
       (select sum(cost_ucents) from rated)::bigint as cost_ucents,
       (select count(*) from postings) as postings,
       (select count(*) from bot_daily) as bot_days;
