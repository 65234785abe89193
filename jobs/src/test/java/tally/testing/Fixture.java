package tally.testing;

import tally.sample.UsageParquetWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Small hand-made inputs for integration tests: reference CSVs, usage files and rules variants. */
public final class Fixture {

    private Fixture() {
    }

    /** One Aerostack account with a wallet, one uncapped wallet-mode bot. */
    public static Path oneBotReference(Path dir, long openingBalanceCents) {
        write(dir.resolve("accounts.csv"), """
                account_id,catalog,tier,billing_interval,period_start,cancel_at_period_end,overage_enabled,overage_logic_engine,overage_api_calls,overage_storage
                acct_a,aerostack,pro,monthly,2026-03-01,false,false,false,false,false
                """);
        write(dir.resolve("wallets.csv"), """
                account_id,opening_balance_cents,auto_reload_enabled,threshold_cents,amount_cents,stripe_customer_id,stripe_payment_method_id
                acct_a,%d,false,,,,
                """.formatted(openingBalanceCents));
        write(dir.resolve("bots.csv"), """
                bot_id,account_id,name,platform,billing_mode,spending_cap_cents,conversation_cap_cents,daily_cap_cents,monthly_cap_cents
                bot_a,acct_a,helper,custom,wallet,,,,
                """);
        return dir;
    }

    /**
     * A marketplace: acct_a (wallet with {@code openingBalanceCents}, auto-reload below 1000 cents by 2500 on
     * cus_a/pm_a) calls tool_c (100 cents, creator acct_c, weekly payouts to acct_1C) and tool_m (10 cents,
     * creator acct_m, monthly payouts to acct_1M). At the 20% fee a tool_c call earns its creator 80 cents.
     */
    public static Path marketplaceReference(Path dir, long openingBalanceCents) {
        write(dir.resolve("accounts.csv"), """
                account_id,catalog,tier,billing_interval,period_start,cancel_at_period_end,overage_enabled,overage_logic_engine,overage_api_calls,overage_storage
                acct_a,aerostack,pro,monthly,2026-03-01,false,false,false,false,false
                acct_c,aerostack,pro,monthly,2026-03-01,false,false,false,false,false
                acct_m,aerostack,pro,monthly,2026-03-01,false,false,false,false,false
                """);
        write(dir.resolve("wallets.csv"), """
                account_id,opening_balance_cents,auto_reload_enabled,threshold_cents,amount_cents,stripe_customer_id,stripe_payment_method_id
                acct_a,%d,true,1000,2500,cus_a,pm_a
                acct_c,0,false,,,,
                acct_m,0,false,,,,
                """.formatted(openingBalanceCents));
        write(dir.resolve("tools.csv"), """
                tool_id,creator_account_id,name,price_cents
                tool_c,acct_c,web-search,100
                tool_m,acct_m,translator,10
                """);
        write(dir.resolve("creators.csv"), """
                account_id,stripe_account_id,payout_schedule
                acct_c,acct_1C,weekly
                acct_m,acct_1M,monthly
                """);
        return dir;
    }

    /** {@code count} successful calls of a tool by acct_a on {@code day}. */
    public static void toolCalls(Path input, LocalDate day, String toolId, int count) {
        Path file = input.resolve("date=" + day).resolve(toolId + "-" + count + ".parquet");
        try (UsageParquetWriter writer = new UsageParquetWriter(file)) {
            for (int i = 0; i < count; i++) {
                Instant at = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(60L * (i + 1));
                writer.write(new UsageParquetWriter.Row("evt-" + day + "-" + toolId + "-" + i, at, "tool_call", "acct_a",
                        null, toolId, null, null, null, null, null, null, null, null, null, 100L, "success", null));
            }
        }
    }

    /** {@code count} successful bot messages of bot_a on {@code day}, each with the given tokens. */
    public static void botMessages(Path input, LocalDate day, String model, int count, long tokensIn, long tokensOut) {
        Path file = input.resolve("date=" + day).resolve(model + "-" + count + ".parquet");
        try (UsageParquetWriter writer = new UsageParquetWriter(file)) {
            for (int i = 0; i < count; i++) {
                Instant at = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(60L * (i + 1));
                writer.write(new UsageParquetWriter.Row("evt-" + day + "-" + model + "-" + i, at, "bot_message", "acct_a",
                        null, "bot_a", "conv-" + i, "user-" + i, "custom", "openai", model, null, tokensIn, tokensOut,
                        null, 500L, "success", null));
            }
        }
    }

    /** A copy of the repository's rating-rules with one model-prices line replaced by the given lines. */
    public static Path rulesWith(Path dir, String replacedLine, List<String> newLines) {
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(Cli.RULES)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            Path prices = dir.resolve("model-prices.csv");
            String text = Files.readString(prices);
            if (!text.contains(replacedLine + "\n")) {
                throw new IllegalArgumentException("no line " + replacedLine + " in " + prices);
            }
            Files.writeString(prices, text.replace(replacedLine + "\n", String.join("\n", newLines) + "\n"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
