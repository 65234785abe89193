package tally.cli;

import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.infra.DayRange;
import tally.analytics.AnalyticsViews;

import java.time.LocalDate;

@Command(name = "analytics", description = "Daily analytics of a bot or an agent endpoint (JSON).", mixinStandardHelpOptions = true,
        subcommands = {AnalyticsCommand.Bot.class, AnalyticsCommand.Agent.class})
class AnalyticsCommand {

    /** The day range of the analytics and export commands; both ends included. */
    static class Range {
        @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First UTC usage day (included).")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last UTC usage day (included).")
        LocalDate to;

        DayRange range() {
            return new DayRange(from, to);
        }
    }

    @Command(name = "bot", mixinStandardHelpOptions = true,
            description = "Per UTC day: messages, tokens, cost, charged, unique users, conversations; and a range summary.")
    static class Bot extends DbCommand {
        @Option(names = "--bot", required = true, paramLabel = "B")
        String bot;

        @Mixin
        Range range;

        @Override
        int execute(ConfigurableApplicationContext context) {
            printJson(context.getBean(AnalyticsViews.class).bot(bot, range.range()));
            return 0;
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = "Per UTC day: runs, successes, failures, tokens, cost, charged, latency p50/p95/max, mean iterations; "
                    + "and a range summary.")
    static class Agent extends DbCommand {
        @Option(names = "--endpoint", required = true, paramLabel = "E")
        String endpoint;

        @Mixin
        Range range;

        @Override
        int execute(ConfigurableApplicationContext context) {
            printJson(context.getBean(AnalyticsViews.class).agent(endpoint, range.range()));
            return 0;
        }
    }
}
