-- The legs check of V18 in one pass over a statement's legs: each transaction's legs are summed by
-- hashing (V18 sorted the legs' transaction ids for "distinct", then grouped them again for the
-- sums), and the probe of ledger_txn's primary key that finds orphans is made once per summed
-- transaction. The same errors as before: an orphan first (the lowest id), else the lowest
-- unbalanced transaction.
create or replace function ledger_legs_valid() returns trigger language plpgsql as $$
declare
    bad record;
begin
    select g.txn_id, g.total, t.txn_id is null as orphan into bad
    from (select txn_id, sum(amount_cents) as total from new_legs group by txn_id) g
    left join lateral (select t.txn_id from ledger_txn t where t.txn_id = g.txn_id offset 0) t on true
    where g.total <> 0 or t.txn_id is null
    order by t.txn_id is not null, g.txn_id limit 1;
    if not found then
        return null;
    end if;
    if bad.orphan then
        raise exception 'ledger entry of transaction % refers to no transaction', bad.txn_id;
    end if;
    raise exception 'ledger transaction % does not balance: legs sum to % cents', bad.txn_id, bad.total;
end $$;
