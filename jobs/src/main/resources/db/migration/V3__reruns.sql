-- Progress of finance reruns between their steps (the rerate step's counts, read by summarize).
create table rerun_progress (
    run_id         text primary key,
    events_rerated bigint not null,
    events_changed bigint not null
);
