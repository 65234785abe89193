-- Carried rounding's state per (wallet, resource, month), kept next to the postings (RULES.md,
-- Money). Posting needs, for every key it posts to, the exact charges posted so far and the cents
-- posted for them; summing them from usage_event and ledger_txn read the month's usage so far every
-- night (on day 30 of a 10M-events-a-day platform, ~300M rows a night). Written by the nightly
-- posting in the same transaction as the wallet's debits, and reset by a rerun's corrections.
--
-- last_run_id / last_exact_ucents / last_posted_cents: what the last nightly run that posted to the
-- key added, so that a restarted run can tell its own earlier commits from the state before it, and
-- its control totals can check its own contribution against the day's usage and its own debits.
-- `ledger verify` checks every row against usage_event and ledger_txn
-- (usage_carry_equals_usage_and_postings).
create table usage_carry (
    payer_account_id  text   not null,
    usage_month       date   not null,
    resource_id       text   not null,
    exact_ucents      bigint not null,  -- exact charges posted so far, micro-cents
    posted_cents      bigint not null,  -- cents posted for them: debits, corrections and refunds
    last_run_id       text,
    last_exact_ucents bigint,
    last_posted_cents bigint,
    primary key (payer_account_id, usage_month, resource_id)
);

-- Existing databases: the state as the ledger and the usage it posted hold it. A wallet's usage of
-- an arrival day counts once that day's run posted to the wallet (a wallet's debits of a run commit
-- together).
insert into usage_carry (payer_account_id, usage_month, resource_id, exact_ucents, posted_cents)
with exact as (
    select u.payer_account_id, date_trunc('month', u.usage_date)::date as usage_month, u.resource_id,
           sum(u.charge_ucents) as ucents
    from usage_event u
    where u.charge_ucents > 0
      and exists (select 1 from ledger_txn t where t.run_id = 'nightly:' || u.arrival_date
                  and t.account_id = u.payer_account_id and t.type = 'debit')
    group by 1, 2, 3),
posted as (
    select account_id as payer_account_id, usage_month, resource_id, sum(charge_cents) as cents
    from ledger_txn where type in ('debit', 'refund') and resource_id is not null
    group by 1, 2, 3)
select payer_account_id, usage_month, resource_id, coalesce(e.ucents, 0), coalesce(p.cents, 0)
from exact e full join posted p using (payer_account_id, usage_month, resource_id);
