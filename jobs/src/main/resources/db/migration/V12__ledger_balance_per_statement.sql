-- Every transaction's legs still sum to zero and belong to a transaction, now checked once per
-- INSERT statement over the legs it adds (a transition table) instead of per leg: a nightly of 10M
-- events writes ~4M legs, and the deferred per-leg trigger summed each leg's transaction again at
-- commit, while the foreign key locked the leg's transaction row (FOR KEY SHARE) for every leg
-- (together about half the time of posting). The foreign key's other duty, keeping a
-- transaction with legs from being deleted, is the append-only triggers' (nothing is deleted).
-- A transaction's legs are therefore written by one statement (LedgerStore.insertLegs writes all
-- legs of a write at once); legs added later to a balanced transaction must themselves sum to
-- zero per transaction, so every transaction stays balanced (docs/rulings.md "Ledger balance").
drop trigger ledger_entry_balanced on ledger_entry;
drop function ledger_txn_balanced();
alter table ledger_entry drop constraint ledger_entry_txn_id_fkey;

create function ledger_legs_valid() returns trigger language plpgsql as $$
declare
    unbalanced record;
    orphan text;
begin
    select l.txn_id into orphan from new_legs l
    where not exists (select 1 from ledger_txn t where t.txn_id = l.txn_id) order by 1 limit 1;
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
create trigger ledger_entry_legs_valid after insert on ledger_entry
    referencing new table as new_legs for each statement execute function ledger_legs_valid();
