-- ledger_txn's index on effective_date (V5) serves one reader, the ledger export of a date range,
-- and cost every posting a B-tree insert: with five indexes on ledger_txn, a 10M-event night's
-- ~805k transactions spent about half their insert time in index maintenance (bench/run,
-- pg_stat_statements: 18 s of PostgreSQL time for the night's transaction rows). The ledger is
-- append-only and a transaction's effective date follows the day it is written within the
-- lateness window, so the heap is in effective-date order up to a few weeks: a BRIN index (one
-- summary per 32 pages, summarized as autovacuum finds new ranges; ranges not yet summarized are
-- scanned) finds a month's transactions reading at most the lateness window's days more, in heap
-- order rather than one random heap fetch per row, at no per-row B-tree cost.
drop index ledger_txn_effective_date;
create index ledger_txn_effective_date on ledger_txn using brin (effective_date)
    with (pages_per_range = 32, autosummarize = on);
