-- V8 indexed ledger_txn by (run_id, account_id) for posting's reads of one wallet's transactions
-- of a run. Posting no longer reads them (it works by account bucket from usage_carry, V15); every
-- reader left asks for a run's transactions by run_id alone (the nightly summary and report,
-- auto-reload, reruns). A run's rows share one key, so an index on run_id alone takes each new
-- row at the end of that key's range (one hot leaf page), where (run_id, account_id) put it at a
-- random place in the run's range: inserting a 10M-event night's 805k transactions in random
-- order cost 3.1 s more than no index with (run_id, account_id) and 0.8 s with (run_id) alone
-- (three rounds each on the night's own rows, docs/performance.md session 8).
drop index ledger_txn_run_account;
create index ledger_txn_run on ledger_txn (run_id);
