package tally.sample;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Writes realistic usage for a set of accounts, bots, agent endpoints and tools: a mix of every
 * kind, model and billing mode, deterministic for a seed. The committed sample-data is its output
 * over the hand-written sample reference CSVs, with edge cases added (duplicates within and across
 * days, a late event for a capped bot, a few rejects); large inputs use synthesized reference data.
 */
public final class UsageGenerator {

    /** (provider, model) pairs priced in rating-rules, weighted by how often they are picked (read only; benchmarks draw from it too). */
    public static final String[][] MODELS = {
            {"openai", "gpt-4o-mini"}, {"openai", "gpt-4o-mini"}, {"openai", "gpt-4o-mini"}, {"openai", "gpt-4o"},
            {"openai", "o1"}, {"anthropic", "claude-sonnet-4-6"}, {"anthropic", "claude-sonnet-4-6"},
            {"anthropic", "claude-haiku-4-5"}, {"anthropic", "claude-opus-4-6"}, {"google", "gemini-2.5-flash"},
            {"google", "gemini-2.5-flash"}, {"google", "gemini-2.5-pro"}, {"groq", "llama-3.3-70b-versatile"},
            {"groq", "mixtral-8x7b-32768"}};
    public static final String WORKERS_MODEL = "@cf/meta/llama-3.1-8b-instruct";
    static final String[] PLATFORMS = {"telegram", "discord", "whatsapp", "slack", "custom"};

    record World(List<String> accounts, List<String[]> bots, List<String[]> endpoints, List<String> tools) {
        // bots and endpoints: {id, owner account}
    }

    public record Options(Path out, LocalDate firstDay, int days, long eventsPerDay, int filesPerDay, long seed,
                          boolean edgeCases) {
    }

    private final World world;
    private final Options options;

    private UsageGenerator(World world, Options options) {
        this.world = world;
        this.options = options;
    }

    /**
     * Usage over existing reference CSVs (wallets.csv, bots.csv, agent_endpoints.csv, tools.csv): only
     * accounts with a wallet get random usage, so accounts kept for hand-made usage stay as designed.
     */
    public static long generate(Path referenceDir, Options options) {
        List<String> wallets = column(referenceDir.resolve("wallets.csv"), "account_id");
        World world = new World(wallets,
                owned(pairs(referenceDir.resolve("bots.csv"), "bot_id", "account_id"), wallets),
                owned(pairs(referenceDir.resolve("agent_endpoints.csv"), "endpoint_id", "account_id"), wallets),
                column(referenceDir.resolve("tools.csv"), "tool_id"));
        return new UsageGenerator(world, options).write();
    }

    /** Synthesized reference CSVs into {@code referenceDir}, then usage over them. */
    public static long generateWithReference(Path referenceDir, int accounts, int bots, Options options) {
        writeReference(referenceDir, accounts, bots, new Random(options.seed()));
        return generate(referenceDir, options);
    }

    private long write() {
        long total = 0;
        SplittableRandom random = new SplittableRandom(options.seed());
        List<String> previousDayIds = new ArrayList<>();
        for (int d = 0; d < options.days(); d++) {
            LocalDate day = options.firstDay().plusDays(d);
            Path dir = options.out().resolve("date=" + day);
            List<String> todaysSample = new ArrayList<>();
            List<UsageParquetWriter.Row> duplicates = new ArrayList<>();
            long perFile = (options.eventsPerDay() + options.filesPerDay() - 1) / options.filesPerDay();
            long seq = 0;
            for (int f = 0; f < options.filesPerDay(); f++) {
                try (UsageParquetWriter writer = new UsageParquetWriter(dir.resolve("part-%03d.parquet".formatted(f)))) {
                    for (long i = 0; i < perFile && seq < options.eventsPerDay(); i++, seq++) {
                        UsageParquetWriter.Row row = event(random, day, "evt-" + day.toString().replace("-", "") + "-" + seq);
                        writer.write(row);
                        total++;
                        if (options.edgeCases() && seq % 150 == 7) {
                            duplicates.add(row);
                        }
                        if (seq % 200 == 3) {
                            todaysSample.add(row.eventId());
                        }
                    }
                }
            }
            if (options.edgeCases()) {
                total += writeEdgeCases(random, day, dir, d, duplicates, previousDayIds);
            }
            previousDayIds = todaysSample;
        }
        return total;
    }

    /** A second file of the day with duplicates, a late event for a capped bot, and a few bad rows. */
    private long writeEdgeCases(SplittableRandom random, LocalDate day, Path dir, int dayIndex,
                                List<UsageParquetWriter.Row> duplicates, List<String> previousDayIds) {
        long written = 0;
        try (UsageParquetWriter writer = new UsageParquetWriter(dir.resolve("late-and-retries.parquet"))) {
            for (UsageParquetWriter.Row row : duplicates) {
                writer.write(row); // retried delivery: same event id in another file of the same day
                written++;
            }
            for (String id : previousDayIds) {
                UsageParquetWriter.Row row = event(random, day, id); // same id as yesterday: a duplicate
                writer.write(row);
                written++;
            }
            String prefix = "evt-" + day.toString().replace("-", "") + "-x";
            Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600 * 12);
            String[] bot = world.bots().get(0);
            writer.write(new UsageParquetWriter.Row(prefix + "unpriced", at, "bot_message", bot[1], null, bot[0],
                    "conv-x", "user-x", "custom", "openai", "gpt-5-preview", null, 100L, 10L, null, 900L, "success", null));
            writer.write(new UsageParquetWriter.Row(prefix + "negative", at, "bot_message", bot[1], null, bot[0],
                    "conv-x", "user-x", "custom", "openai", "gpt-4o", null, -5L, 10L, null, 900L, "success", null));
            written += 2;
            if (dayIndex == options.days() - 1 && options.days() > 1) {
                // Arrives on the last day, occurred late on the first: more than the capped bot's first day has left.
                String[] capped = world.bots().size() > 1 ? world.bots().get(1) : bot;
                Instant lateAt = options.firstDay().atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(23 * 3600 + 1800);
                writer.write(new UsageParquetWriter.Row(prefix + "late", lateAt, "bot_message", capped[1], null, capped[0],
                        "conv-late", "user-late", "custom", "anthropic", "claude-sonnet-4-6", null, 60_000L, 10_000L, null,
                        2100L, "success", null));
                written++;
            }
        }
        return written;
    }

    private UsageParquetWriter.Row event(SplittableRandom random, LocalDate day, String eventId) {
        Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusMillis(random.nextLong(86_400_000L))
                .plusNanos(random.nextInt(1000) * 1000L);
        String status = random.nextInt(100) < 3 ? "failed" : "success";
        int pick = random.nextInt(100);
        if (pick < 35 && !world.bots().isEmpty()) {
            String[] bot = world.bots().get(random.nextInt(world.bots().size()));
            String[] model = runsOnWorkersAi(bot[0]) ? new String[] {"workers-ai", WORKERS_MODEL} : MODELS[random.nextInt(MODELS.length)];
            return new UsageParquetWriter.Row(eventId, at, "bot_message", bot[1], null, bot[0],
                    "conv-" + bot[0] + "-" + day.getDayOfMonth() + "-" + random.nextInt(12), "user-" + random.nextInt(40),
                    PLATFORMS[random.nextInt(PLATFORMS.length)], model[0], model[1],
                    random.nextInt(100) < 3 ? "byok" : null, 200L + random.nextInt(2800), 20L + random.nextInt(780), null,
                    300L + random.nextInt(6000), status, null);
        }
        if (pick < 45 && !world.endpoints().isEmpty()) {
            String[] endpoint = world.endpoints().get(random.nextInt(world.endpoints().size()));
            String[] model = MODELS[random.nextInt(MODELS.length)];
            return new UsageParquetWriter.Row(eventId, at, "agent_run", endpoint[1], null, endpoint[0], null, null, null,
                    model[0], model[1], random.nextInt(100) < 10 ? "byok" : null, 500L + random.nextInt(4000),
                    50L + random.nextInt(900), 1 + random.nextInt(4), 800L + random.nextInt(8200), status, null);
        }
        String account = world.accounts().get(random.nextInt(world.accounts().size()));
        String project = "proj-" + account + "-" + random.nextInt(3);
        if (pick < 55 && !world.tools().isEmpty()) {
            String tool = world.tools().get(random.nextInt(world.tools().size()));
            return new UsageParquetWriter.Row(eventId, at, "tool_call", account, project, tool, null, null, null, null,
                    null, null, null, null, null, 50L + random.nextInt(900), status, null);
        }
        String kind = pick < 80 ? "api_request" : pick < 88 ? "gateway_request" : pick < 93 ? "mcp_proxy_call"
                : pick < 98 ? "logic_engine_call" : "storage_snapshot";
        Long quantity = kind.equals("storage_snapshot") ? 50_000_000L + random.nextLong(2_000_000_000L)
                : (long) (1 + random.nextInt(20));
        return new UsageParquetWriter.Row(eventId, at, kind, account, project, null, null, null, null, null, null, null,
                null, null, null, null, status, quantity);
    }

    /** Bots named for Workers AI, and every 20th synthesized bot (b0, b20, ...), use its free models. */
    public static boolean runsOnWorkersAi(String botId) {
        return botId.contains("workers") || (botId.matches("b\\d+") && Long.parseLong(botId.substring(1)) % 20 == 0);
    }

    private static List<String[]> owned(List<String[]> resources, List<String> accounts) {
        return resources.stream().filter(r -> accounts.contains(r[1])).toList();
    }

    private static List<String> column(Path csv, String name) {
        List<String> values = new ArrayList<>();
        forEach(csv, r -> values.add(r.get(name)));
        return values;
    }

    private static List<String[]> pairs(Path csv, String id, String owner) {
        List<String[]> values = new ArrayList<>();
        forEach(csv, r -> values.add(new String[] {r.get(id), r.get(owner)}));
        return values;
    }

    private static void forEach(Path csv, java.util.function.Consumer<CSVRecord> action) {
        if (!Files.exists(csv)) {
            return;
        }
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            parser.forEach(action);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Synthesized accounts (both catalogs), wallets, bots (some capped), endpoints, tools and creators. */
    static void writeReference(Path dir, int accounts, int bots, Random random) {
        String[][] tiers = {{"aerostack", "free"}, {"aerostack", "starter"}, {"aerostack", "pro"}, {"aerostack", "business"},
                {"agentstack", "free"}, {"agentstack", "starter"}, {"agentstack", "basic"}, {"agentstack", "pro"}};
        String[] modes = {"wallet", "wallet", "wallet", "wallet", "wallet", "wallet", "byok", "plan_quota"};
        int endpoints = Math.max(1, accounts / 4);
        int tools = Math.max(1, accounts / 50);
        csv(dir.resolve("accounts.csv"), new String[] {"account_id", "catalog", "tier", "billing_interval", "period_start",
                "cancel_at_period_end", "overage_enabled", "overage_logic_engine", "overage_api_calls", "overage_storage"}, p -> {
            for (int i = 0; i < accounts; i++) {
                String[] tier = tiers[i % tiers.length];
                p.printRecord("a" + i, tier[0], tier[1], i % 5 == 0 ? "yearly" : "monthly", "2026-01-01", false,
                        i % 3 == 0, i % 3 == 0, i % 3 == 0, false);
            }
        });
        csv(dir.resolve("wallets.csv"), new String[] {"account_id", "opening_balance_cents", "auto_reload_enabled",
                "threshold_cents", "amount_cents", "stripe_customer_id", "stripe_payment_method_id"}, p -> {
            for (int i = 0; i < accounts; i++) {
                p.printRecord("a" + i, i % 10 == 0 ? 200 : 5_000 + random.nextInt(100_000), false, null, null, "cus_a" + i, "pm_a" + i);
            }
        });
        csv(dir.resolve("bots.csv"), new String[] {"bot_id", "account_id", "name", "platform", "billing_mode",
                "spending_cap_cents", "conversation_cap_cents", "daily_cap_cents", "monthly_cap_cents"}, p -> {
            for (int i = 0; i < bots; i++) {
                p.printRecord("b" + i, "a" + (i % accounts), "bot-" + i, PLATFORMS[i % PLATFORMS.length], modes[i % modes.length],
                        i % 17 == 0 ? 500 : null, i % 13 == 0 ? 20 : null, i % 11 == 0 ? 100 : null, i % 7 == 0 ? 3000 : null);
            }
        });
        csv(dir.resolve("agent_endpoints.csv"), new String[] {"endpoint_id", "account_id", "name", "price_per_run_cents",
                "auth_mode"}, p -> {
            for (int i = 0; i < endpoints; i++) {
                p.printRecord("e" + i, "a" + (i * 4 % accounts), "agent-" + i, i % 5 == 0 ? 0 : 1 + random.nextInt(25),
                        i % 2 == 0 ? "api_key" : "public");
            }
        });
        csv(dir.resolve("tools.csv"), new String[] {"tool_id", "creator_account_id", "name", "price_cents"}, p -> {
            for (int i = 0; i < tools; i++) {
                p.printRecord("t" + i, "a" + (i * 50 % accounts), "tool-" + i, 1 + random.nextInt(10));
            }
        });
        csv(dir.resolve("creators.csv"), new String[] {"account_id", "stripe_account_id", "payout_schedule"}, p -> {
            for (int i = 0; i < tools; i++) {
                p.printRecord("a" + (i * 50 % accounts), "acct_a" + i, i % 2 == 0 ? "weekly" : "monthly");
            }
        });
    }

    interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static void csv(Path file, String[] header, Rows rows) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                 CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
                rows.print(printer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
