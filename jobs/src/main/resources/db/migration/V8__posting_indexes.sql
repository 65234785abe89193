-- Posting reads one wallet's usage of a run (and of earlier runs for carried rounding), and one
-- wallet's transactions of a run: without these, every wallet scanned the whole day (measured by
-- bench/run: 0.34 s a wallet at 1M events, ~11 h for 10,000 wallets at 10M).
create index usage_event_payer_arrival on usage_event (payer_account_id, arrival_date);
drop index ledger_txn_run;
create index ledger_txn_run_account on ledger_txn (run_id, account_id);
