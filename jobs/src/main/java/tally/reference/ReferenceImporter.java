package tally.reference;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tally.infra.BadInputException;
import tally.ledger.LedgerAccounts;
import tally.ledger.LedgerStore;
import tally.ledger.LedgerTxn;
import tally.ledger.TxnType;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code tally import reference --dir DIR}: reads every reference CSV that is present, validates all
 * of them, then upserts them and posts opening balances and deposits in one transaction. Running it
 * twice changes nothing: rows are upserted and ledger postings have deterministic ids.
 */
@Service
public class ReferenceImporter {

    public static final Map<String, Set<String>> TIERS = Map.of(
            "aerostack", Set.of("free", "starter", "pro", "business", "enterprise"),
            "agentstack", Set.of("anonymous", "free", "starter", "basic", "pro", "premium", "enterprise"));
    public static final Set<String> PACKAGES = Set.of("logic_engine_small", "logic_engine_medium", "logic_engine_large",
            "api_calls_small", "api_calls_medium", "api_calls_large", "storage_5gb", "storage_10gb", "storage_25gb");
    public static final long DEPOSIT_MIN_CENTS = 500;
    public static final long DEPOSIT_MAX_CENTS = 50_000;
    /** Effective date of an opening balance when the account has no period_start. */
    static final LocalDate DEFAULT_OPENING_DATE = LocalDate.of(2000, 1, 1);

    enum Type { TEXT, BOOL, LONG, DATE, INSTANT }

    record Column(String name, Type type, boolean required) {
    }

    record FileSpec(String file, String table, List<String> keys, List<Column> columns) {
    }

    private static Column req(String name, Type type) {
        return new Column(name, type, true);
    }

    private static Column opt(String name, Type type) {
        return new Column(name, type, false);
    }

    /** Files in load order (accounts first: everything else refers to them). */
    static final List<FileSpec> FILES = List.of(
            new FileSpec("accounts.csv", "account", List.of("account_id"), List.of(
                    req("account_id", Type.TEXT), req("catalog", Type.TEXT), req("tier", Type.TEXT),
                    req("billing_interval", Type.TEXT), opt("period_start", Type.DATE),
                    opt("cancel_at_period_end", Type.BOOL), opt("overage_enabled", Type.BOOL),
                    opt("overage_logic_engine", Type.BOOL), opt("overage_api_calls", Type.BOOL),
                    opt("overage_storage", Type.BOOL))),
            new FileSpec("wallets.csv", "wallet", List.of("account_id"), List.of(
                    req("account_id", Type.TEXT), opt("opening_balance_cents", Type.LONG),
                    opt("auto_reload_enabled", Type.BOOL), opt("threshold_cents", Type.LONG),
                    opt("amount_cents", Type.LONG), opt("stripe_customer_id", Type.TEXT),
                    opt("stripe_payment_method_id", Type.TEXT))),
            new FileSpec("bots.csv", "bot", List.of("bot_id"), List.of(
                    req("bot_id", Type.TEXT), req("account_id", Type.TEXT), req("name", Type.TEXT),
                    opt("platform", Type.TEXT), req("billing_mode", Type.TEXT),
                    opt("spending_cap_cents", Type.LONG), opt("conversation_cap_cents", Type.LONG),
                    opt("daily_cap_cents", Type.LONG), opt("monthly_cap_cents", Type.LONG))),
            new FileSpec("agent_endpoints.csv", "agent_endpoint", List.of("endpoint_id"), List.of(
                    req("endpoint_id", Type.TEXT), req("account_id", Type.TEXT), req("name", Type.TEXT),
                    req("price_per_run_cents", Type.LONG), opt("auth_mode", Type.TEXT))),
            new FileSpec("tools.csv", "tool", List.of("tool_id"), List.of(
                    req("tool_id", Type.TEXT), req("creator_account_id", Type.TEXT), req("name", Type.TEXT),
                    req("price_cents", Type.LONG))),
            new FileSpec("creators.csv", "creator", List.of("account_id"), List.of(
                    req("account_id", Type.TEXT), opt("stripe_account_id", Type.TEXT), req("payout_schedule", Type.TEXT))),
            new FileSpec("packages.csv", "package_purchase", List.of("account_id", "package", "purchased_at"), List.of(
                    req("account_id", Type.TEXT), req("package", Type.TEXT), req("purchased_at", Type.DATE),
                    opt("ends_at", Type.DATE))),
            new FileSpec("deposits.csv", "deposit", List.of("deposit_id"), List.of(
                    req("deposit_id", Type.TEXT), req("account_id", Type.TEXT), req("amount_cents", Type.LONG),
                    req("created_at", Type.INSTANT), opt("stripe_session_id", Type.TEXT))));

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final LedgerStore ledger;

    public ReferenceImporter(JdbcTemplate jdbc, TransactionTemplate tx, LedgerStore ledger) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
    }

    /** What an import did, file by file. */
    public record ImportResult(Map<String, Integer> rowsByFile, int ledgerPostings) {
    }

    public ImportResult importDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("reference directory " + dir + " does not exist (option --dir)");
        }
        Map<FileSpec, List<Object[]>> parsed = new LinkedHashMap<>();
        for (FileSpec spec : FILES) {
            Path file = dir.resolve(spec.file());
            if (Files.exists(file)) {
                parsed.put(spec, parse(file, spec));
            }
        }
        return tx.execute(status -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            parsed.forEach((spec, rows) -> {
                upsert(spec, rows);
                counts.put(spec.file(), rows.size());
            });
            checkReferences();
            int postings = postOpeningBalances() + postDeposits();
            return new ImportResult(counts, postings);
        });
    }

    private List<Object[]> parse(Path file, FileSpec spec) {
        List<Object[]> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, FORMAT)) {
            for (Column column : spec.columns()) {
                if (column.required() && !parser.getHeaderMap().containsKey(column.name())) {
                    throw new BadInputException(file + ": header lacks required column " + column.name());
                }
            }
            for (CSVRecord record : parser) {
                String where = file + " line " + parser.getCurrentLineNumber();
                Object[] values = new Object[spec.columns().size()];
                for (int i = 0; i < values.length; i++) {
                    Column column = spec.columns().get(i);
                    String text = record.isMapped(column.name()) ? record.get(column.name()) : null;
                    values[i] = convert(text, column, where);
                }
                validateRow(spec.file(), spec.columns(), values, where);
                rows.add(values);
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new BadInputException(file + " cannot be read as CSV: " + e.getMessage(), e);
        }
        return rows;
    }

    private static Object convert(String text, Column column, String where) {
        if (text == null || text.isBlank()) {
            if (column.required()) {
                throw new BadInputException(where + ": " + column.name() + " is required");
            }
            return column.type() == Type.BOOL ? Boolean.FALSE : null;
        }
        String value = text.strip();
        try {
            return switch (column.type()) {
                case TEXT -> value;
                case LONG -> Long.parseLong(value);
                case DATE -> Date.valueOf(LocalDate.parse(value));
                case INSTANT -> Timestamp.from(Instant.parse(value));
                case BOOL -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new BadInputException(where + ": " + column.name() + " '" + value + "' is not true or false");
                };
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new BadInputException(where + ": " + column.name() + " '" + value + "' is not a valid "
                    + column.type().name().toLowerCase(Locale.ROOT));
        }
    }

    private static Object value(List<Column> columns, Object[] values, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static void validateRow(String file, List<Column> columns, Object[] values, String where) {
        switch (file) {
            case "accounts.csv" -> {
                String catalog = ((String) value(columns, values, "catalog")).toLowerCase(Locale.ROOT);
                Set<String> tiers = TIERS.get(catalog);
                if (tiers == null) {
                    throw new BadInputException(where + ": catalog '" + catalog + "' is not aerostack or agentstack");
                }
                String tier = ((String) value(columns, values, "tier")).toLowerCase(Locale.ROOT);
                if (!tiers.contains(tier)) {
                    throw new BadInputException(where + ": tier '" + tier + "' is not a " + catalog + " tier " + tiers);
                }
                values[1] = catalog;
                values[2] = tier;
                oneOf(where, "billing_interval", (String) value(columns, values, "billing_interval"), Set.of("monthly", "yearly"));
            }
            case "wallets.csv" -> {
                nonNegative(where, "opening_balance_cents", (Long) value(columns, values, "opening_balance_cents"));
                nonNegative(where, "threshold_cents", (Long) value(columns, values, "threshold_cents"));
                Long amount = (Long) value(columns, values, "amount_cents");
                if (amount != null && amount < DEPOSIT_MIN_CENTS) {
                    throw new BadInputException(where + ": amount_cents " + amount + " is below the auto-reload minimum of 500");
                }
            }
            case "bots.csv" -> {
                oneOf(where, "billing_mode", (String) value(columns, values, "billing_mode"), Set.of("wallet", "byok", "plan_quota"));
                for (String cap : List.of("spending_cap_cents", "conversation_cap_cents", "daily_cap_cents", "monthly_cap_cents")) {
                    nonNegative(where, cap, (Long) value(columns, values, cap));
                }
            }
            case "agent_endpoints.csv" -> {
                long price = (Long) value(columns, values, "price_per_run_cents");
                if (price < 0 || price > 10_000) {
                    throw new BadInputException(where + ": price_per_run_cents " + price + " is outside 0..10000");
                }
            }
            case "tools.csv" -> nonNegative(where, "price_cents", (Long) value(columns, values, "price_cents"));
            case "creators.csv" -> oneOf(where, "payout_schedule", (String) value(columns, values, "payout_schedule"),
                    Set.of("manual", "weekly", "monthly"));
            case "packages.csv" -> oneOf(where, "package", (String) value(columns, values, "package"), PACKAGES);
            case "deposits.csv" -> {
                long amount = (Long) value(columns, values, "amount_cents");
                if (amount < DEPOSIT_MIN_CENTS || amount > DEPOSIT_MAX_CENTS) {
                    throw new BadInputException(where + ": deposit amount_cents " + amount
                            + " is outside " + DEPOSIT_MIN_CENTS + ".." + DEPOSIT_MAX_CENTS + " ($5.00 to $500.00)");
                }
            }
            default -> throw new IllegalArgumentException(file);
        }
    }

    private static void oneOf(String where, String column, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new BadInputException(where + ": " + column + " '" + value + "' is not one of " + allowed);
        }
    }

    private static void nonNegative(String where, String column, Long value) {
        if (value != null && value < 0) {
            throw new BadInputException(where + ": " + column + " " + value + " is negative");
        }
    }

    private void upsert(FileSpec spec, List<Object[]> rows) {
        List<String> names = spec.columns().stream().map(Column::name).toList();
        String updates = names.stream().filter(n -> !spec.keys().contains(n))
                .map(n -> n + " = excluded." + n).collect(Collectors.joining(", "));
        String sql = "insert into " + spec.table() + " (" + String.join(", ", names) + ") values ("
                + names.stream().map(n -> "?").collect(Collectors.joining(", ")) + ") on conflict ("
                + String.join(", ", spec.keys()) + ") do " + (updates.isEmpty() ? "nothing" : "update set " + updates);
        jdbc.batchUpdate(sql, rows);
    }

    /** Every row that names an account must name one that exists. */
    private void checkReferences() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("wallets.csv", "select account_id from wallet where account_id not in (select account_id from account)");
        checks.put("bots.csv", "select bot_id from bot where account_id not in (select account_id from account)");
        checks.put("tools.csv", "select tool_id from tool where creator_account_id not in (select account_id from account)");
        checks.forEach((file, sql) -> {
            List<String> bad = jdbc.queryForList(sql + " limit 5", String.class);
            if (!bad.isEmpty()) {
                throw new BadInputException(file + ": rows " + bad + " name an account missing from accounts.csv");
            }
        });
    }

    /** Each wallet's opening balance, once, as a deposit described "Opening balance". */
    private int postOpeningBalances() {
        int posted = 0;
        List<Map<String, Object>> wallets = jdbc.queryForList("""
                select w.account_id, w.opening_balance_cents, a.period_start
                from wallet w join account a using (account_id)
                where w.opening_balance_cents > 0 order by w.account_id""");
        for (Map<String, Object> wallet : wallets) {
            String account = (String) wallet.get("account_id");
            long cents = ((Number) wallet.get("opening_balance_cents")).longValue();
            Object start = wallet.get("period_start");
            LocalDate effective = start == null ? DEFAULT_OPENING_DATE : ((Date) start).toLocalDate();
            posted += ledger.post(new LedgerTxn("opening:" + account, account, TxnType.DEPOSIT, cents, "Opening balance",
                    effective, "import", null, null, null, null, null, List.of(
                    new LedgerTxn.Leg(LedgerAccounts.wallet(account), cents),
                    new LedgerTxn.Leg(LedgerAccounts.EQUITY_OPENING_BALANCES, -cents)))) ? 1 : 0;
        }
        return posted;
    }

    private int postDeposits() {
        int posted = 0;
        List<Map<String, Object>> deposits = jdbc.queryForList(
                "select deposit_id, account_id, amount_cents, created_at from deposit order by deposit_id");
        for (Map<String, Object> deposit : deposits) {
            String account = (String) deposit.get("account_id");
            long cents = ((Number) deposit.get("amount_cents")).longValue();
            LocalDate effective = ((Timestamp) deposit.get("created_at")).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            posted += ledger.post(new LedgerTxn("deposit:" + deposit.get("deposit_id"), account, TxnType.DEPOSIT, cents,
                    "Stripe deposit", effective, "import", null, null, null, null, null, List.of(
                    new LedgerTxn.Leg(LedgerAccounts.wallet(account), cents),
                    new LedgerTxn.Leg(LedgerAccounts.CLEARING_STRIPE, -cents)))) ? 1 : 0;
        }
        return posted;
    }
}
