-- The per-statement leg check (V12) looked for legs of no transaction with an anti-join of the
-- statement's legs against ledger_txn, which PostgreSQL planned as a hash join over the whole of
-- ledger_txn: once per INSERT of legs, a cost that grows with every night's transactions (a 1M-event
-- night: 2.2 s of 4.3 s spent inserting its legs, on an empty ledger). `offset 0` keeps the
-- subquery from being turned into a join, so each distinct transaction of the statement is one probe
-- of ledger_txn's primary key.
create or replace function ledger_legs_valid() returns trigger language plpgsql as $$
declare
    unbalanced record;
    orphan text;
begin
    select l.txn_id into orphan from (select distinct txn_id from new_legs) l
    where not exists (select 1 from ledger_txn t where t.txn_id = l.txn_id offset 0) order by 1 limit 1;
    if found then
        raise exception 'ledger entry of transaction % refers to no transaction', orphan;
    end if;
    select txn_id, sum(amount_cents) as total into unbalanced
    from new_legs group by txn_id having sum(amount_cents) <> 0 order by txn_id limit 1;
    if found then
        raise exception 'ledger transaction % does not balance: legs sum to % cents', unbalanced.txn_id, unbalanced.total;
    end if;
    return null;
end $$;
