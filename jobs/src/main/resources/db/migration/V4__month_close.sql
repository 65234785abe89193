-- Month close: one invoice per account and month, immutable once issued (like the ledger:
-- no UPDATE, DELETE or TRUNCATE). Money is whole cents. A correction is a new line on a later
-- invoice (late_adjustment or credit), never an edit.

create table invoice (
    invoice_id               text primary key,          -- inv:<account>:<YYYY-MM>
    account_id               text not null references account,
    month                    date not null check (extract(day from month) = 1),
    status                   text not null check (status in ('issued')),
    currency                 char(3) not null default 'USD',
    catalog                  text not null,
    tier                     text not null,              -- the tier in force on the month's first day
    billing_interval         text not null,
    line_count               integer not null check (line_count >= 0),
    total_cents              bigint not null,
    wallet_charged_cents     bigint not null,            -- informational: the wallet is prepaid
    wallet_uncollected_cents bigint not null,
    usage                    json not null,              -- each counter at close: used, limit, status
    resource_counts          json not null,
    rules_version            text not null,
    run_id                   text not null,              -- close-month:<YYYY-MM>
    issued_at                timestamptz not null default clock_timestamp(),
    unique (account_id, month)
);

create table invoice_line (
    invoice_id    text    not null references invoice,
    line_no       integer not null check (line_no >= 1),
    line_id       text    not null unique,                -- <invoice_id>/<cause>
    type          text    not null check (type in ('plan_fee', 'package', 'overage', 'late_adjustment', 'credit')),
    description   text    not null,
    quantity      bigint  not null,
    amount_cents  bigint  not null,
    currency      char(3) not null default 'USD',
    counter       text,                                   -- overage, late_adjustment, credit: which counter
    service_month date,                                   -- ... and the month of the usage
    check ((type in ('plan_fee', 'package')) = (counter is null)),
    check (type <> 'credit' or amount_cents < 0),
    check (type = 'credit' or amount_cents >= 0),
    primary key (invoice_id, line_no)
);
create index invoice_line_service on invoice_line (service_month, counter);

-- An invoice has exactly its line_count lines and they sum to its total (checked at commit, after
-- all lines are in; a line added to an invoice issued earlier breaks it and is refused).
create function invoice_complete() returns trigger language plpgsql as $$
declare
    lines bigint;
    total bigint;
    expected_lines integer;
    expected_total bigint;
begin
    select line_count, total_cents into expected_lines, expected_total from invoice where invoice_id = new.invoice_id;
    select count(*), coalesce(sum(amount_cents), 0) into lines, total from invoice_line where invoice_id = new.invoice_id;
    if lines <> expected_lines or total <> expected_total then
        raise exception 'invoice % is not whole: % lines summing to % cents, issued with % lines and % cents',
            new.invoice_id, lines, total, expected_lines, expected_total;
    end if;
    return null;
end $$;
create constraint trigger invoice_whole after insert on invoice
    deferrable initially deferred for each row execute function invoice_complete();
create constraint trigger invoice_line_whole after insert on invoice_line
    deferrable initially deferred for each row execute function invoice_complete();

-- Issued invoices are immutable: UPDATE, DELETE and TRUNCATE are refused.
create function invoice_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'issued invoices are immutable: % on % is refused (a correction is a new line on a later invoice)',
        tg_op, tg_table_name;
end $$;
create trigger invoice_immutable before update or delete on invoice
    for each row execute function invoice_immutable();
create trigger invoice_line_immutable before update or delete on invoice_line
    for each row execute function invoice_immutable();
create trigger invoice_no_truncate before truncate on invoice
    for each statement execute function invoice_immutable();
create trigger invoice_line_no_truncate before truncate on invoice_line
    for each statement execute function invoice_immutable();
