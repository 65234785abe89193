-- Analytics: exact agent cost (so a range summary rounds once, like bots), and the indexes the
-- rollups, retention purge and exports read by.
alter table agent_daily add column cost_ucents bigint not null default 0;

-- The rollups read what the ledger charged per (resource, usage day).
create index ledger_txn_resource_day on ledger_txn (resource_id, effective_date);

-- Retention purges by (account, day); exports and views read by day.
create index bot_daily_account_day on bot_daily (account_id, usage_date);
create index agent_daily_account_day on agent_daily (account_id, usage_date);
create index tool_daily_creator_day on tool_daily (creator_account_id, usage_date);
create index ledger_txn_effective_date on ledger_txn (effective_date);
create index usage_event_usage_date on usage_event (usage_date);
