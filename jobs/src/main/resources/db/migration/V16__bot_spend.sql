-- What each bot was charged, per arrival day, conversation and usage day: the history its spending
-- caps start from on later days (lifetime, per conversation, per usage day and month). Rating read
-- it from usage_event, one query per capped bot; with usage_event partitioned by arrival day, each
-- of those queries probed every day's partition (a year in: ~16k capped bots x 365 partitions a
-- night). Here a bot's history is one index range. Written by rating for every bot (a cap added
-- later needs the history), refreshed by reruns for the bots and days they re-rate.
create table bot_spend (
    bot_id          text   not null,
    arrival_date    date   not null,
    usage_date      date   not null,
    conversation_id text,
    account_id      text   not null,  -- the bot's owner: rating's account partitions select by it
    charge_ucents   bigint not null
);
create index bot_spend_bot_arrival on bot_spend (bot_id, arrival_date);
create index bot_spend_arrival on bot_spend (arrival_date);

insert into bot_spend (bot_id, arrival_date, usage_date, conversation_id, account_id, charge_ucents)
select resource_id, arrival_date, usage_date, conversation_id, account_id, sum(charge_ucents)
from usage_event where kind = 'bot_message' and charge_ucents > 0
group by 1, 2, 3, 4, 5;
