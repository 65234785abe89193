-- Every transaction's legs still sum to zero, now checked once per INSERT statement over the legs
-- it adds (a transition table) instead of one deferred query per leg: a nightly of 10M events
-- writes ~4M legs, and the per-leg trigger summed each leg's transaction again at commit.
-- A transaction's legs are therefore written by one statement (LedgerStore.insertLegs writes all
-- legs of a write at once); legs added later to a balanced transaction must themselves sum to
-- zero per transaction, so every transaction stays balanced (docs/rulings.md "Ledger balance").
drop trigger ledger_entry_balanced on ledger_entry;
drop function ledger_txn_balanced();

create function ledger_legs_balanced() returns trigger language plpgsql as $$
declare
    unbalanced record;
begin
    select txn_id, sum(amount_cents) as total into unbalanced
    from new_legs group by txn_id having sum(amount_cents) <> 0 order by txn_id limit 1;
    if found then
        raise exception 'ledger transaction % does not balance: legs sum to % cents', unbalanced.txn_id, unbalanced.total;
    end if;
    return null;
end $$;
create trigger ledger_entry_balanced after insert on ledger_entry
    referencing new table as new_legs for each statement execute function ledger_legs_balanced();
