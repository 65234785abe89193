package tally.rules;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import tally.infra.BadInputException;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads and validates {@code rating-rules/}. Anything wrong (overlapping effective dates,
 * negative or over-precise prices, unknown providers) is refused before anything is rated, naming
 * the file and line.
 */
public final class RulesLoader {

    public static final String MODEL_PRICES = "model-prices.csv";
    public static final String MARKETPLACE_FEE = "marketplace-fee.csv";

    public static final Set<String> PROVIDERS = Set.of("anthropic", "openai", "google", "groq", "workers-ai");

    /** Prices are USD per million tokens with at most 2 decimals, so a token costs a whole number of micro-cents. */
    private static final int MAX_PRICE_DECIMALS = 2;

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setCommentMarker('#')
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();

    private RulesLoader() {
    }

    public static RatingRules load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("rules directory " + dir + " does not exist (option --rules)");
        }
        Map<String, List<ModelPrice>> prices = loadPrices(dir.resolve(MODEL_PRICES));
        List<FeeRate> fees = loadFees(dir.resolve(MARKETPLACE_FEE));
        return new RatingRules(prices, fees, version(dir));
    }

    private static Map<String, List<ModelPrice>> loadPrices(Path file) {
        Map<String, List<ModelPrice>> byModel = new LinkedHashMap<>();
        forEachRow(file, (row, where) -> {
            String provider = required(row, "provider", where);
            if (!PROVIDERS.contains(provider)) {
                throw new BadInputException(where + ": unknown provider '" + provider + "' (known: " + PROVIDERS + ")");
            }
            ModelPrice price = new ModelPrice(provider, required(row, "model", where),
                    instant(required(row, "effective_from", where), where),
                    optionalInstant(cell(row, "effective_to"), where),
                    ucentsPerToken(row, "input_usd_per_mtok", where),
                    ucentsPerToken(row, "output_usd_per_mtok", where), where);
            checkRange(price.effectiveFrom(), price.effectiveTo(), where);
            List<ModelPrice> rows = byModel.computeIfAbsent(RatingRules.key(provider, price.model()), k -> new ArrayList<>());
            for (ModelPrice other : rows) {
                if (other.overlaps(price)) {
                    throw new BadInputException(where + ": effective dates of " + provider + "/" + price.model()
                            + " overlap the row at " + other.source());
                }
            }
            rows.add(price);
        });
        byModel.values().forEach(rows -> rows.sort(Comparator.comparing(ModelPrice::effectiveFrom)));
        return byModel;
    }

    private static List<FeeRate> loadFees(Path file) {
        List<FeeRate> fees = new ArrayList<>();
        if (!Files.exists(file)) {
            return fees;
        }
        forEachRow(file, (row, where) -> {
            BigDecimal fraction = decimal(required(row, "fee_pct", where), "fee_pct", where);
            if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
                throw new BadInputException(where + ": fee_pct " + fraction + " must be a fraction from 0 to 1 (0.20 = 20%)");
            }
            FeeRate fee = new FeeRate(instant(required(row, "effective_from", where), where),
                    optionalInstant(cell(row, "effective_to"), where), fraction, where);
            checkRange(fee.effectiveFrom(), fee.effectiveTo(), where);
            for (FeeRate other : fees) {
                boolean apart = (fee.effectiveTo() != null && !fee.effectiveTo().isAfter(other.effectiveFrom()))
                        || (other.effectiveTo() != null && !other.effectiveTo().isAfter(fee.effectiveFrom()));
                if (!apart) {
                    throw new BadInputException(where + ": effective dates overlap the fee row at " + other.source());
                }
            }
            fees.add(fee);
        });
        fees.sort(Comparator.comparing(FeeRate::effectiveFrom));
        return fees;
    }

    /** One data row of a rules CSV and where it is (file and line), for error messages. */
    public interface RowHandler {
        void accept(CSVRecord row, String where);
    }

    /** Every data row of a rules CSV (header row, '#' comments); a missing or unreadable file is bad input. */
    public static void forEachRow(Path file, RowHandler handler) {
        if (!Files.exists(file)) {
            throw new BadInputException("rules file " + file + " is missing");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, FORMAT)) {
            for (CSVRecord row : parser) {
                handler.accept(row, file + " line " + parser.getCurrentLineNumber());
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            if (e instanceof BadInputException bad) {
                throw bad;
            }
            throw new BadInputException("rules file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The value of a column, or null when the header lacks it or the row is too short to have it. */
    public static String cell(CSVRecord row, String column) {
        return row.isMapped(column) && row.isSet(column) ? row.get(column) : null;
    }

    public static String required(CSVRecord row, String column, String where) {
        String value = cell(row, column);
        if (value == null || value.isBlank()) {
            throw new BadInputException(where + ": column " + column + " is required");
        }
        return value.strip();
    }

    private static long ucentsPerToken(CSVRecord row, String column, String where) {
        BigDecimal usdPerMtok = decimal(required(row, column, where), column, where);
        if (usdPerMtok.signum() < 0) {
            throw new BadInputException(where + ": " + column + " is negative (" + usdPerMtok + ")");
        }
        if (usdPerMtok.stripTrailingZeros().scale() > MAX_PRICE_DECIMALS) {
            throw new BadInputException(where + ": " + column + " " + usdPerMtok
                    + " has more than " + MAX_PRICE_DECIMALS + " decimals; a token's cost must be a whole number of 1e-8 USD");
        }
        return usdPerMtok.movePointRight(2).longValueExact();
    }

    public static BigDecimal decimal(String text, String column, String where) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new BadInputException(where + ": " + column + " '" + text + "' is not a decimal number");
        }
    }

    /** A date (start of that UTC day) or an ISO-8601 instant. */
    public static Instant instant(String text, String where) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadInputException(where + ": '" + text + "' is not a date (YYYY-MM-DD) or ISO-8601 UTC instant");
        }
    }

    public static Instant optionalInstant(String text, String where) {
        return text == null || text.isBlank() ? null : instant(text.strip(), where);
    }

    public static void checkRange(Instant from, Instant to, String where) {
        if (to != null && !to.isAfter(from)) {
            throw new BadInputException(where + ": effective_to must be after effective_from");
        }
    }

    /** The first 12 hex digits of SHA-256 over every rules file, by name. */
    static String version(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new BadInputException("rules directory " + dir + " cannot be read: " + e.getMessage(), e);
        }
    }
}
