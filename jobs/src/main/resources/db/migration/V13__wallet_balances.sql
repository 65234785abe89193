-- Every wallet's balance kept next to its entries, so that posting, auto-reload and the nightly's
-- "no negative wallet" control read one row per wallet instead of summing the wallet's whole
-- history every night (the sums grew by a night's legs each day). Kept by a statement-level
-- trigger from the legs each INSERT adds (the ledger is append-only, so a balance only ever
-- moves by new legs). Rows are upserted in account order, so concurrent postings lock them in
-- the same order. Only `wallet:` accounts: they belong to one customer each and are posted by
-- one partition at a time, whereas shared accounts (revenue, clearing) would make every posting
-- transaction of every partition wait on the same rows. `ledger verify` checks the kept balances
-- against the entries (kept_wallet_balances_equal_entries).
create table ledger_balance (
    ledger_account text   primary key check (ledger_account like 'wallet:%'),
    balance_cents  bigint not null
);
insert into ledger_balance (ledger_account, balance_cents)
select ledger_account, sum(amount_cents) from ledger_entry where ledger_account like 'wallet:%' group by 1;

create function ledger_keep_wallet_balances() returns trigger language plpgsql as $$
begin
    insert into ledger_balance (ledger_account, balance_cents)
    select ledger_account, sum(amount_cents) from new_legs where ledger_account like 'wallet:%'
    group by 1 order by 1
    on conflict (ledger_account) do update set balance_cents = ledger_balance.balance_cents + excluded.balance_cents;
    return null;
end $$;
create trigger ledger_entry_wallet_balances after insert on ledger_entry
    referencing new table as new_legs for each statement execute function ledger_keep_wallet_balances();
