-- Tally's own tables. Money is whole cents (bigint) in the ledger; exact rated amounts are
-- bigint micro-cents (1e-6 cent = 1e-8 USD), the six decimal places of RULES.md, never floating point.

-- ===== Reference data (upserted by `tally import reference`) =====
create table account (
    account_id            text primary key,
    catalog               text not null check (catalog in ('aerostack', 'agentstack')),
    tier                  text not null,
    billing_interval      text not null check (billing_interval in ('monthly', 'yearly')),
    period_start          date,
    cancel_at_period_end  boolean not null default false,
    overage_enabled       boolean not null default false,
    overage_logic_engine  boolean not null default false,
    overage_api_calls     boolean not null default false,
    overage_storage       boolean not null default false
);

create table wallet (
    account_id               text primary key references account,
    opening_balance_cents    bigint not null default 0 check (opening_balance_cents >= 0),
    auto_reload_enabled      boolean not null default false,
    threshold_cents          bigint check (threshold_cents >= 0),
    amount_cents             bigint check (amount_cents >= 500),
    stripe_customer_id       text,
    stripe_payment_method_id text
);

create table bot (
    bot_id                 text primary key,
    account_id             text not null references account,
    name                   text not null,
    platform               text,
    billing_mode           text not null check (billing_mode in ('wallet', 'byok', 'plan_quota')),
    spending_cap_cents     bigint check (spending_cap_cents >= 0),
    conversation_cap_cents bigint check (conversation_cap_cents >= 0),
    daily_cap_cents        bigint check (daily_cap_cents >= 0),
    monthly_cap_cents      bigint check (monthly_cap_cents >= 0)
);

create table agent_endpoint (
    endpoint_id         text primary key,
    account_id          text not null references account,
    name                text not null,
    price_per_run_cents bigint not null check (price_per_run_cents between 0 and 10000),
    auth_mode           text
);

create table tool (
    tool_id            text primary key,
    creator_account_id text not null references account,
    name               text not null,
    price_cents        bigint not null check (price_cents >= 0)
);

create table creator (
    account_id        text primary key references account,
    stripe_account_id text,
    payout_schedule   text not null check (payout_schedule in ('manual', 'weekly', 'monthly'))
);

create table package_purchase (
    account_id   text not null references account,
    package      text not null,
    purchased_at date not null,
    ends_at      date,
    primary key (account_id, package, purchased_at)
);

create table deposit (
    deposit_id        text primary key,
    account_id        text not null references account,
    amount_cents      bigint not null check (amount_cents between 500 and 50000),
    created_at        timestamptz not null,
    stripe_session_id text
);

-- ===== Usage =====
-- Rows read from one arrival day's files that passed row validation; scratch space rebuilt by
-- every (re)start of that day's stage step.
create unlogged table staged_event (
    arrival_date    date   not null,
    source_file     text   not null,
    source_row      bigint not null,
    event_id        text   not null,
    occurred_at     timestamptz not null,
    kind            text   not null,
    account_id      text   not null,
    project_id      text,
    resource_id     text,
    conversation_id text,
    end_user_id     text,
    platform        text,
    provider        text,
    model           text,
    billing_mode    text,
    tokens_input    bigint,
    tokens_output   bigint,
    iterations      integer,
    latency_ms      bigint,
    status          text   not null,
    quantity        bigint,
    primary key (arrival_date, source_file, source_row)
);

-- Every accepted event exactly once (event_id is the idempotency key across files and runs),
-- with how it was rated.
create table usage_event (
    event_id         text primary key,
    arrival_date     date   not null,
    source_file      text   not null,
    source_row       bigint not null,
    occurred_at      timestamptz not null,
    usage_date       date   not null,
    kind             text   not null,
    account_id       text   not null,
    project_id       text,
    resource_id      text,
    conversation_id  text,
    end_user_id      text,
    platform         text,
    provider         text,
    model            text,
    billing_mode     text,
    tokens_input     bigint not null,
    tokens_output    bigint not null,
    iterations       integer,
    latency_ms       bigint,
    status           text   not null,
    quantity         bigint not null,
    payer_account_id text,
    cost_ucents      bigint not null check (cost_ucents >= 0),
    charge_ucents    bigint not null check (charge_ucents >= 0),
    capped           boolean not null,
    posting_id       text,
    rules_version    text   not null
);
create index usage_event_arrival on usage_event (arrival_date);
create index usage_event_resource_day on usage_event (resource_id, usage_date);
create index usage_event_account_day on usage_event (account_id, usage_date);

create table rejected_event (
    arrival_date date   not null,
    source_file  text   not null,
    source_row   bigint not null,
    event_id     text,
    reason       text   not null,
    detail       text,
    primary key (arrival_date, source_file, source_row)
);

-- ===== Ledger: double-entry, append-only =====
create table ledger_txn (
    txn_id            text primary key,
    account_id        text not null,          -- whose transaction history shows it
    type              text not null check (type in ('deposit', 'debit', 'refund', 'earning', 'payout')),
    amount_cents      bigint not null,        -- as its owner sees it: negative is money out
    currency          char(3) not null default 'USD',
    description       text not null,
    effective_date    date not null,          -- the business day it belongs to
    written_at        timestamptz not null default clock_timestamp(),
    run_id            text,                   -- e.g. nightly:2026-03-02
    run_date          date,                   -- business date of that run (the arrival day for nightly)
    resource_id       text,
    usage_month       date,
    charge_cents      bigint,                 -- debits: what was due
    collected_cents   bigint,                 -- debits: what the balance covered
    uncollected_cents bigint,                 -- debits: the rest
    refers_to         text references ledger_txn,
    check (type <> 'debit' or (charge_cents = collected_cents + uncollected_cents
                               and collected_cents >= 0 and uncollected_cents >= 0
                               and amount_cents = -collected_cents))
);
create index ledger_txn_account on ledger_txn (account_id, effective_date);
create index ledger_txn_run on ledger_txn (run_id);

create table ledger_entry (
    txn_id         text    not null references ledger_txn,
    leg            integer not null,
    ledger_account text    not null,          -- wallet:A, receivable:A, payable:creator:A, revenue:usage, ...
    amount_cents   bigint  not null,
    currency       char(3) not null default 'USD',
    primary key (txn_id, leg)
);
create index ledger_entry_account on ledger_entry (ledger_account);

-- Every transaction's legs sum to zero (checked at commit, after all legs are in).
create function ledger_txn_balanced() returns trigger language plpgsql as $$
declare
    total bigint;
begin
    select coalesce(sum(amount_cents), 0) into total from ledger_entry where txn_id = new.txn_id;
    if total <> 0 then
        raise exception 'ledger transaction % does not balance: legs sum to % cents', new.txn_id, total;
    end if;
    return null;
end $$;
create constraint trigger ledger_entry_balanced after insert on ledger_entry
    deferrable initially deferred for each row execute function ledger_txn_balanced();

-- Append-only: the ledger refuses UPDATE, DELETE and TRUNCATE.
create function ledger_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the ledger is append-only: % on % is refused', tg_op, tg_table_name;
end $$;
create trigger ledger_txn_append_only before update or delete on ledger_txn
    for each row execute function ledger_append_only();
create trigger ledger_entry_append_only before update or delete on ledger_entry
    for each row execute function ledger_append_only();
create trigger ledger_txn_no_truncate before truncate on ledger_txn
    for each statement execute function ledger_append_only();
create trigger ledger_entry_no_truncate before truncate on ledger_entry
    for each statement execute function ledger_append_only();

-- ===== Analytics (derived; recomputed for every day a run touches) =====
create table bot_daily (
    bot_id              text not null,
    usage_date          date not null,
    account_id          text not null,
    messages_received   bigint not null,
    messages_sent       bigint not null,
    tokens_input        bigint not null,
    tokens_output       bigint not null,
    cost_ucents         bigint not null,
    total_cost_cents    bigint not null,
    total_charged_cents bigint not null,
    unique_users        bigint not null,
    conversations       bigint not null,
    primary key (bot_id, usage_date)
);

create table agent_daily (
    endpoint_id         text not null,
    usage_date          date not null,
    account_id          text not null,
    runs                bigint not null,
    successes           bigint not null,
    failures            bigint not null,
    tokens_input        bigint not null,
    tokens_output       bigint not null,
    cost_cents          bigint not null,
    charged_cents       bigint not null,
    latency_ms_p50      bigint,
    latency_ms_p95      bigint,
    latency_ms_max      bigint,
    iterations_mean     numeric(12, 3),
    primary key (endpoint_id, usage_date)
);

create table tool_daily (
    tool_id           text not null,
    usage_date        date not null,
    creator_account_id text not null,
    calls             bigint not null,
    gross_cents       bigint not null,
    fee_cents         bigint not null,
    creator_net_cents bigint not null,
    primary key (tool_id, usage_date)
);

-- ===== Run summaries with their control totals =====
create table run_summary (
    run_id        text primary key,           -- job:business-date
    job           text not null,
    business_date date not null,
    rules_version text,
    summary       json not null,            -- json, not jsonb: keeps the key order people read
    controls_ok   boolean not null,
    written_at    timestamptz not null default clock_timestamp()
);
