-- Stripe: the outboxes between the ledger and Stripe (auto-reload PaymentIntents, creator payout
-- Transfers), the events imported from Stripe, and the notifications a failed reload writes.
-- The ledger stays append-only: money moves only by ledger transactions; these tables hold the
-- state of each Stripe call (pending -> succeeded/paid, failed, returned), which they may update.

-- One off-session PaymentIntent per row. reload_id (reload:<account>:<run date>:<n>) is the
-- deposit's ledger id on success and the Stripe idempotency key; the row commits before the call.
create table auto_reload (
    reload_id                text primary key,
    account_id               text not null references account,
    run_id                   text not null,
    run_date                 date not null,
    sequence                 integer not null check (sequence between 1 and 3),
    amount_cents             bigint not null check (amount_cents between 500 and 50000),
    stripe_customer_id       text not null,
    stripe_payment_method_id text not null,
    status                   text not null check (status in ('pending', 'succeeded', 'failed')),
    payment_intent_id        text,
    failure_reason           text,
    created_at               timestamptz not null default clock_timestamp(),
    updated_at               timestamptz not null default clock_timestamp(),
    unique (account_id, run_id, sequence)
);

-- A wallet whose reload failed: no further reloads until this row is removed (the user fixes the card).
create table auto_reload_pause (
    account_id text primary key references account,
    reload_id  text not null references auto_reload,
    reason     text not null,
    paused_at  timestamptz not null default clock_timestamp()
);

-- Messages for the account holder (the platform e-mails them).
create table notification (
    notification_id text primary key,
    account_id      text not null references account,
    kind            text not null,
    message         text not null,
    created_at      timestamptz not null default clock_timestamp()
);

-- One Stripe Transfer per row. payout_id is the pending payout's ledger transaction (committed first,
-- in the same database transaction) and the Stripe idempotency key.
create table payout (
    payout_id          text primary key references ledger_txn,
    creator_account_id text not null references account,
    schedule           text not null check (schedule in ('weekly', 'monthly')),
    payout_date        date not null,
    amount_cents       bigint not null check (amount_cents >= 1000),
    destination        text not null,
    transfer_group     text not null,
    status             text not null check (status in ('pending', 'paid', 'failed', 'returned')),
    stripe_transfer_id text,
    failure_reason     text,
    created_at         timestamptz not null default clock_timestamp(),
    updated_at         timestamptz not null default clock_timestamp(),
    unique (creator_account_id, schedule, payout_date)
);
create index payout_date on payout (payout_date);

-- Stripe events applied by `tally import stripe-events` (event ids are unique at Stripe).
create table stripe_event (
    event_id    text primary key,
    type        text not null,
    outcome     text not null,
    received_at timestamptz not null default clock_timestamp()
);

-- A Checkout Session is credited once, whichever way it arrives (deposits.csv or its event).
create unique index deposit_stripe_session on deposit (stripe_session_id) where stripe_session_id is not null;
