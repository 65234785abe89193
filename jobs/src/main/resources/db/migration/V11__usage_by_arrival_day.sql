-- usage_event and staged_event become tables partitioned by arrival day (one partition a day,
-- named <table>_YYYYMMDD; tally.infra.DayPartitions). Why (issue 8, docs/performance.md): adding a
-- day's rows to one big table maintained its primary key and four indexes row by row, which was
-- most of the nightly's time; a day now loads into its own table without indexes, which are built
-- in one sorted pass when the day is attached. Cleaning a day's scratch rows becomes a DROP.
--
-- event_id stays the idempotency key, unique within a day by the primary key (event_id,
-- arrival_date) and across days by rating's dedup, which looks at the days an event's copies can
-- arrive on (the allowed lateness and a day either side; docs/rulings.md "Dedup window").

-- ===== staged_event: scratch rows of a day in flight =====
alter table staged_event rename to staged_event_v10;
create table staged_event (like staged_event_v10 including defaults) partition by range (arrival_date);

-- ===== usage_event =====
alter table usage_event rename to usage_event_v10;
alter index usage_event_pkey rename to usage_event_v10_pkey;
alter index usage_event_resource_day rename to usage_event_v10_resource_day;
alter index usage_event_account_day rename to usage_event_v10_account_day;
alter index usage_event_usage_date rename to usage_event_v10_usage_date;
create table usage_event (like usage_event_v10 including defaults including constraints)
    partition by range (arrival_date);
alter table usage_event add constraint usage_event_pkey primary key (event_id, arrival_date);
create index usage_event_resource_day on usage_event (resource_id, usage_date);
create index usage_event_account_day on usage_event (account_id, usage_date);
create index usage_event_usage_date on usage_event (usage_date);
create index usage_event_payer_day on usage_event (payer_account_id, usage_date);

-- Existing rows move into their day's partition (one pass per day; empty on a new database).
do $$
declare
    day date;
    part text;
begin
    for day in select distinct arrival_date from staged_event_v10 order by 1 loop
        part := 'staged_event_' || to_char(day, 'YYYYMMDD');
        execute format('create unlogged table %I partition of staged_event for values from (%L) to (%L)',
                       part, day, day + 1);
        execute format('insert into %I select * from staged_event_v10 where arrival_date = %L', part, day);
    end loop;
    for day in select distinct arrival_date from usage_event_v10 order by 1 loop
        part := 'usage_event_' || to_char(day, 'YYYYMMDD');
        execute format('create table %I partition of usage_event for values from (%L) to (%L)', part, day, day + 1);
        execute format('insert into %I select * from usage_event_v10 where arrival_date = %L', part, day);
    end loop;
end $$;
drop table staged_event_v10;
drop table usage_event_v10;

-- ===== repeated_event replaces contested_event =====
-- Every event_id staged more than once on a day, with its first sighting (by file, row): the only
-- copy rating considers. Covers the ids staged under two accounts (contested_event's job, so the
-- outcome does not depend on the partitioning) and saves sorting the whole day by event_id.
drop table contested_event;
create unlogged table repeated_event (
    arrival_date date   not null,
    event_id     text   not null,
    source_file  text   not null,
    source_row   bigint not null,
    primary key (arrival_date, event_id)
);
