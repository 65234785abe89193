-- The nightly without a row per event in PostgreSQL (issue 8, docs/nightly-v2.md). A 10M-event night
-- wrote every event twice (staged_event, then usage_event with five indexes) at ~1.2 us a heap row
-- and ~1.3 us a B-tree entry: more than the whole time budget. Rated events are now kept as Parquet
-- segments (usage_segment), and what the later steps and jobs read of them is kept as aggregates
-- written with them: analytics partials, month-close counters, storage snapshots, bot spend (V16),
-- the carried-rounding state (V15) and the debits themselves.

-- ===== Staging: one arrival day in flight (scratch, rebuilt by a restart of stage-usage) =====
-- The day's accepted rows, in compact batches, by the account bucket rating takes them in
-- (tally.usage.StagedBatch). Partitioned by day (tally.infra.DayPartitions): a day's table is
-- dropped once the day is rated. Logged, so that a crash of the database during rating (which
-- commits bucket by bucket) cannot lose the rows of buckets not yet rated.
create table staged_chunk (
    arrival_date date    not null,
    bucket       integer not null,   -- the account bucket (tally.usage.Buckets)
    unit         integer not null,   -- the input unit (file, row group) it was read from, in read order
    seq          integer not null,
    rows         integer not null,
    data         bytea   not null,
    primary key (arrival_date, bucket, unit, seq)
) partition by range (arrival_date);
alter table staged_chunk alter column data set storage external;  -- already compact: no TOAST compression

-- Staged rows that are not rated: a repeat of an id earlier in the day (file, row order) or an id
-- rated on another day of its dedup window. row_key = input file index << 40 | row in the file.
create table staged_drop (
    arrival_date date    not null,
    bucket       integer not null,
    row_key      bigint  not null,
    primary key (arrival_date, bucket, row_key)
) partition by range (arrival_date);

-- What staging found for a day; kept (the summary and reruns read it).
create table stage_day (
    arrival_date  date    primary key,
    buckets       integer not null,   -- account buckets the day was staged in
    rows_read     bigint  not null,
    rows_accepted bigint  not null,   -- passed every check: rated, or a duplicate
    duplicates    bigint  not null,
    rejected      bigint  not null,
    staged_at     timestamptz not null default clock_timestamp()
);

-- The event ids each arrival day rated, as sorted 128-bit hashes (MurmurHash3 x64 of the UTF-8
-- id, two longs, unsigned order), 65536 a chunk: what later days deduplicate against
-- (docs/rulings.md "Dedup window", "Event id hashes").
create table event_id_set (
    arrival_date date    not null,
    chunk        integer not null,
    first_hi     bigint  not null,    -- the chunk's first hash, for finding the chunk of a hash
    first_lo     bigint  not null,
    ids          integer not null,
    hashes       bytea   not null,    -- ids x 16 bytes, big-endian (hi, lo)
    primary key (arrival_date, chunk)
);
alter table event_id_set alter column hashes set storage external;

-- ===== Rated events: Parquet segments (schema schemas/rated_event.avsc) =====
create table usage_segment (
    arrival_date   date    not null,
    bucket         integer not null,
    seq            integer not null,
    rows           integer not null,
    min_usage_date date    not null,
    max_usage_date date    not null,
    data           bytea   not null,  -- one Parquet file of one row group
    written_at     timestamptz not null default clock_timestamp(),
    primary key (arrival_date, bucket, seq)
);
alter table usage_segment alter column data set storage external;

-- A bucket rated and posted: written in the same transaction as everything the bucket produced,
-- so a restarted run skips exactly the buckets that committed. With the bucket's totals, which the
-- run summary adds up.
create table rated_bucket (
    arrival_date      date    not null,
    bucket            integer not null,
    events_rated      bigint  not null,
    events_capped     bigint  not null,
    cost_ucents       bigint  not null,
    charge_ucents     bigint  not null,
    bot_charge_ucents bigint  not null,
    wallets_posted    integer not null,
    txns_written      integer not null,
    done_at           timestamptz not null default clock_timestamp(),
    primary key (arrival_date, bucket)
);

-- ===== Analytics partials: one per (resource, usage day, arrival day); the rollups add them up =====
create table bot_day_part (
    bot_id            text   not null,
    usage_date        date   not null,
    arrival_date      date   not null,
    account_id        text   not null,
    messages_received bigint not null,
    messages_sent     bigint not null,
    tokens_input      bigint not null,
    tokens_output     bigint not null,
    cost_ucents       bigint not null,
    end_user_ids      text[] not null,  -- distinct, sorted: unique users are counted over all parts
    conversation_ids  text[] not null,
    primary key (bot_id, usage_date, arrival_date)
);

create table agent_day_part (
    endpoint_id      text   not null,
    usage_date       date   not null,
    arrival_date     date   not null,
    account_id       text   not null,
    runs             bigint not null,
    successes        bigint not null,
    failures         bigint not null,
    tokens_input     bigint not null,
    tokens_output    bigint not null,
    cost_ucents      bigint not null,
    latencies_ms     bigint[] not null, -- sorted, nulls left out: percentiles are taken over all parts
    iterations_total bigint not null,
    iterations_count bigint not null,
    primary key (endpoint_id, usage_date, arrival_date)
);

-- Tools are called from every bucket: one part per bucket, with what the bucket's debits of the
-- tool collected and the marketplace fee on each (the run's earnings add these up).
create table tool_day_part (
    tool_id         text    not null,
    usage_date      date    not null,
    arrival_date    date    not null,
    bucket          integer not null,
    calls           bigint  not null,
    collected_cents bigint  not null,
    fee_cents       bigint  not null,
    primary key (tool_id, usage_date, arrival_date, bucket)
);

-- ===== Month close: counters per (account, usage day, arrival day), successful events =====
create table account_day_usage (
    account_id         text   not null,
    usage_date         date   not null,
    arrival_date       date   not null,
    api_requests       bigint not null,
    ai_tokens          bigint not null,  -- bot and agent tokens not on BYOK keys
    gateway_requests   bigint not null,
    mcp_proxy_calls    bigint not null,
    logic_engine_calls bigint not null,
    primary key (account_id, usage_date, arrival_date)
);

-- Successful storage snapshots: the month's peak needs each project's sequence of snapshots.
create table storage_snapshot (
    account_id     text        not null,
    project_id     text        not null,
    occurred_at    timestamptz not null,
    event_id       text        not null,
    arrival_date   date        not null,
    quantity_bytes bigint      not null,
    primary key (account_id, project_id, occurred_at, event_id)
);
create index storage_snapshot_arrival on storage_snapshot using brin (arrival_date);

-- bot_spend rows of a day are written together: a block-range index serves the per-day reads.
drop index bot_spend_arrival;
create index bot_spend_arrival on bot_spend using brin (arrival_date);

-- ===== Ledger: debits and corrections carry the exact charge they post =====
-- A usage debit's exact charge (micro-cents) of its (wallet, resource, usage day, run); a correction
-- or refund: the change in exact charge it posts. Carried rounding, reruns and `ledger verify` read
-- the exact amounts from the ledger itself rather than from every event.
alter table ledger_txn add column exact_ucents bigint;

-- The exact charge of every (wallet, resource, usage day, arrival day) group a rerun re-rated, as it
-- now stands: a group's exact charge is this row's if there is one, else its nightly debit's
-- exact_ucents (every group with a positive charge has a debit). What corrections start from and
-- `ledger verify` adds up per carried-rounding key.
create table usage_group_rerated (
    payer_account_id text   not null,
    resource_id      text   not null,
    usage_date       date   not null,
    arrival_date     date   not null,
    kind             text   not null,
    exact_ucents     bigint not null,
    run_id           text   not null,  -- the rerun that last re-rated it
    primary key (payer_account_id, resource_id, usage_date, arrival_date)
);
create index usage_group_rerated_run on usage_group_rerated (run_id);

-- ===== The per-event tables go =====
-- Existing usage cannot be carried over by SQL (its events would have to become Parquet segments);
-- no database with usage exists outside tests and the demo, so such a database is refused with a
-- clear message rather than silently losing its history.
do $$
begin
    if exists (select 1 from usage_event) then
        raise exception 'V17: this database holds rated usage in usage_event; Tally 0.2 keeps rated events as Parquet segments and cannot convert them in a migration. Export it first (tally export rated) and start from an empty database.';
    end if;
end $$;
drop table usage_event;
drop table staged_event;
drop table repeated_event;
drop table staged_day;
