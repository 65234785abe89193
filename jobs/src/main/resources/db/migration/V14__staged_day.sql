-- What staging saw of a day, kept for the run summary: the staged rows are dropped as soon as every
-- account partition is rated (before the day's usage_event indexes are built), so that a day's
-- scratch copy and its indexed copy are never on disk together (~200 bytes an event: 20 GB for
-- 100M events).
create table staged_day (
    arrival_date    date   primary key,
    rows_staged     bigint not null,
    first_sightings bigint not null   -- distinct event_ids staged that no earlier arrival day had
);
