-- Rating runs per account partition (tally.partition). An event_id staged under two different
-- accounts on one day would otherwise be rated once in each account's partition; staging records
-- its first sighting (by file, row) here and only that row's partition rates it, so the outcome is
-- the same for any partition count. Scratch space like staged_event.
create unlogged table contested_event (
    arrival_date date   not null,
    event_id     text   not null,
    source_file  text   not null,
    source_row   bigint not null,
    primary key (arrival_date, event_id)
);
