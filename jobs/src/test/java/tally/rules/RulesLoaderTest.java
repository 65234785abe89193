package tally.rules;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tally.infra.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesLoaderTest {

    static final String PRICES_HEADER = "provider,model,effective_from,effective_to,input_usd_per_mtok,output_usd_per_mtok\n";
    static final String FEES_HEADER = "effective_from,effective_to,fee_pct\n";
    static final String GPT_4O = "openai,gpt-4o,2025-01-01,,2.50,10.00\n";
    static final String DEFAULT_FEE = "2025-01-01,,0.20\n";
    static final Instant MARCH_2026 = Instant.parse("2026-03-02T12:00:00Z");

    /** The rules shipped in the repository, as the nightly job loads them (surefire runs in jobs/). */
    @Nested
    class RepositoryRules {

        final RatingRules rules = RulesLoader.load(Path.of("../rating-rules"));

        long cost(String provider, String model, long tokensIn, long tokensOut) {
            return rules.priceAt(provider, model, MARCH_2026).orElseThrow(
                    () -> new AssertionError("no price for " + provider + "/" + model)).costUcents(tokensIn, tokensOut);
        }

        /** Bot billing doc, LLM Pricing: 1,000 input and 500 output tokens, in micro-cents (1e-8 USD). */
        @ParameterizedTest(name = "{0}/{1}: 1000 in + 500 out = {2} micro-cents")
        @CsvSource({
                "anthropic, claude-opus-4-6,         5250000",  // $15 in, $75 out: 1.5 + 3.75 cents
                "anthropic, claude-sonnet-4-6,       1050000",  // $3, $15
                "anthropic, claude-haiku-4-5,         280000",  // $0.80, $4
                "openai,    gpt-4o,                   750000",  // $2.50, $10: 0.25 + 0.5 cents
                "openai,    gpt-4o-mini,               45000",  // $0.15, $0.60
                "openai,    o1,                      4500000",  // $15, $60
                "google,    gemini-2.5-pro,           375000",  // $1.25, $5
                "google,    gemini-2.5-flash,          45000",  // $0.15, $0.60
                "groq,      llama-3.3-70b-versatile,   98500",  // $0.59, $0.79
                "groq,      mixtral-8x7b-32768,        36000",  // $0.24, $0.24
        })
        void pricesEveryModelOfTheBotBillingDoc(String provider, String model, long expectedUcents) {
            assertThat(cost(provider, model, 1000, 500)).isEqualTo(expectedUcents);
        }

        @Test
        void oneMillionTokensCostTheListPriceInCents() {
            assertThat(cost("openai", "gpt-4o", 1_000_000, 0)).isEqualTo(250_000_000L);   // $2.50
            assertThat(cost("openai", "gpt-4o", 0, 1_000_000)).isEqualTo(1_000_000_000L); // $10.00
            assertThat(cost("anthropic", "claude-opus-4-6", 1, 1)).isEqualTo(1_500 + 7_500);
        }

        @ParameterizedTest
        @ValueSource(strings = {"@cf/meta/llama-3.1-8b-instruct", "@cf/mistral/mistral-7b-instruct-v0.1", "anything"})
        void everyWorkersAiModelIsFree(String model) {
            assertThat(cost("workers-ai", model, 1_000_000, 1_000_000)).isZero();
        }

        @Test
        void unpricedModelsAndDatesBeforeThePriceListHaveNoPrice() {
            assertThat(rules.priceAt("openai", "gpt-5-imaginary", MARCH_2026)).isEmpty();
            assertThat(rules.priceAt("mistral", "mistral-large", MARCH_2026)).isEmpty();
            assertThat(rules.priceAt("openai", "gpt-4o", Instant.parse("2024-12-31T23:59:59Z"))).isEmpty();
        }

        @Test
        void marketplaceFeeIsTwentyPercent() {
            assertThat(rules.feeFractionOn(LocalDate.of(2026, 3, 2))).isEqualByComparingTo("0.20");
        }

        @Test
        void versionIsAContentHash() {
            assertThat(rules.version()).matches("[0-9a-f]{12}");
            assertThat(RulesLoader.load(Path.of("../rating-rules")).version()).isEqualTo(rules.version());
        }
    }

    @Nested
    class EffectiveDating {

        @TempDir
        Path dir;

        @Test
        void aPriceChangeMidPeriodPicksTheRowInForceAtTheInstant() throws IOException {
            write(dir, PRICES_HEADER
                    + "openai,gpt-4o,2025-01-01,2026-03-15T12:00:00Z,2.50,10.00\n"
                    + "openai,gpt-4o,2026-03-15T12:00:00Z,,2.00,8.00\n", DEFAULT_FEE);
            RatingRules rules = RulesLoader.load(dir);
            assertThat(costAt(rules, "2026-03-15T11:59:59.999999Z")).isEqualTo(750_000);  // old row, to is exclusive
            assertThat(costAt(rules, "2026-03-15T12:00:00Z")).isEqualTo(600_000);         // new row, from is inclusive
            assertThat(costAt(rules, "2026-03-31T23:59:59Z")).isEqualTo(600_000);
        }

        @Test
        void rowsMayComeInAnyOrderAndAGapHasNoPrice() throws IOException {
            write(dir, PRICES_HEADER
                    + "openai,gpt-4o,2026-04-01,,2.00,8.00\n"
                    + "openai,gpt-4o,2025-01-01,2026-03-01,2.50,10.00\n", DEFAULT_FEE);
            RatingRules rules = RulesLoader.load(dir);
            assertThat(costAt(rules, "2026-02-28T23:00:00Z")).isEqualTo(750_000);
            assertThat(rules.priceAt("openai", "gpt-4o", Instant.parse("2026-03-10T00:00:00Z"))).isEmpty();
            assertThat(costAt(rules, "2026-04-01T00:00:00Z")).isEqualTo(600_000);
        }

        @Test
        void feeChangeAppliesFromItsUsageDayAndDefaultsToTwentyPercentOutsideAnyRow() throws IOException {
            write(dir, PRICES_HEADER + GPT_4O, "2025-01-01,2026-03-10,0.20\n2026-03-10,2026-04-01,0.15\n");
            RatingRules rules = RulesLoader.load(dir);
            assertThat(rules.feeFractionOn(LocalDate.of(2026, 3, 9))).isEqualByComparingTo("0.20");
            assertThat(rules.feeFractionOn(LocalDate.of(2026, 3, 10))).isEqualByComparingTo("0.15");
            assertThat(rules.feeFractionOn(LocalDate.of(2026, 4, 1))).isEqualByComparingTo("0.20");
        }

        @Test
        void exactModelPriceWinsOverTheProviderWildcard() throws IOException {
            write(dir, PRICES_HEADER + "workers-ai,*,2025-01-01,,0.00,0.00\nworkers-ai,premium,2025-01-01,,1.00,1.00\n",
                    DEFAULT_FEE);
            RatingRules rules = RulesLoader.load(dir);
            Instant at = Instant.parse("2026-03-02T00:00:00Z");
            assertThat(rules.priceAt("workers-ai", "premium", at).orElseThrow().costUcents(1000, 0)).isEqualTo(100_000);
            assertThat(rules.priceAt("workers-ai", "other", at).orElseThrow().costUcents(1000, 0)).isZero();
        }

        @Test
        void versionChangesWhenARulesFileChanges() throws IOException {
            write(dir, PRICES_HEADER + GPT_4O, DEFAULT_FEE);
            String before = RulesLoader.load(dir).version();
            write(dir, PRICES_HEADER + GPT_4O, "2025-01-01,,0.25\n");
            assertThat(RulesLoader.load(dir).version()).isNotEqualTo(before);
        }

        static long costAt(RatingRules rules, String instant) {
            return rules.priceAt("openai", "gpt-4o", Instant.parse(instant)).orElseThrow().costUcents(1000, 500);
        }
    }

    /** Invalid rules are refused before anything is rated, naming the file and line (RULES.md, Bad input). */
    @Nested
    class Refusals {

        @TempDir
        Path dir;

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "overlapping open rows    | openai,gpt-4o,2026-01-01,,3.00,12.00                      | overlap the row at",
                "overlapping closed range | openai,gpt-4o,2024-06-01,2025-01-02,3.00,12.00            | overlap the row at",
                "negative input price     | openai,gpt-4o-mini,2025-01-01,,-0.15,0.60                 | input_usd_per_mtok is negative",
                "negative output price    | openai,gpt-4o-mini,2025-01-01,,0.15,-0.01                 | output_usd_per_mtok is negative",
                "three decimals           | openai,gpt-4o-mini,2025-01-01,,0.155,0.60                 | has more than 2 decimals",
                "unknown provider         | mistral,mistral-large,2025-01-01,,2.00,6.00               | unknown provider 'mistral'",
                "empty range              | openai,gpt-4o-mini,2025-02-01,2025-02-01,0.15,0.60        | effective_to must be after effective_from",
                "not a date               | openai,gpt-4o-mini,01/02/2025,,0.15,0.60                  | is not a date",
                "not a number             | openai,gpt-4o-mini,2025-01-01,,cheap,0.60                 | is not a decimal number",
                "missing model            | openai,,2025-01-01,,0.15,0.60                             | column model is required",
        })
        void refusesABadPriceRowNamingFileAndLine(String what, String badRow, String reason) throws IOException {
            write(dir, PRICES_HEADER + GPT_4O + badRow + "\n", DEFAULT_FEE);
            assertRefused(RulesLoader.MODEL_PRICES, 3, reason);
        }

        @Test
        void overlapNamesTheOtherRowToo() throws IOException {
            write(dir, PRICES_HEADER + GPT_4O + "anthropic,claude-haiku-4-5,2025-01-01,,0.80,4.00\n"
                    + "openai,gpt-4o,2025-06-01,2025-07-01,2.00,8.00\n", DEFAULT_FEE);
            assertRefused(RulesLoader.MODEL_PRICES, 4, "openai/gpt-4o overlap the row at "
                    + dir.resolve(RulesLoader.MODEL_PRICES) + " line 2");
        }

        /**
         * Main-code bug (kept failing on purpose): a row with fewer fields than the header makes
         * CSVRecord.get throw IllegalArgumentException inside the row handler; forEachRow wraps it as
         * "rules file X cannot be read: Index for header ..." without the line (RULES.md: refused
         * with the file and line).
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "model-prices.csv   | openai,o1,2025-01-01",
                "marketplace-fee.csv| 2026-01-01",
        })
        void aShortRowIsRefusedNamingItsLine(String file, String shortRow) throws IOException {
            String extraPriceRow = file.equals(RulesLoader.MODEL_PRICES) ? shortRow + "\n" : "";
            String extraFeeRow = file.equals(RulesLoader.MARKETPLACE_FEE) ? shortRow + "\n" : "";
            write(dir, PRICES_HEADER + GPT_4O + extraPriceRow, DEFAULT_FEE + extraFeeRow);
            assertRefused(file, 3, "");
        }

        @Test
        void lineNumbersCountCommentLines() throws IOException {
            write(dir, "# a comment\n# another\n" + PRICES_HEADER + GPT_4O + "openai,o1,2025-01-01,,15.001,60\n",
                    DEFAULT_FEE);
            assertRefused(RulesLoader.MODEL_PRICES, 5, "has more than 2 decimals");
        }

        @Test
        void lastRowWithoutTrailingNewlineIsNamedByItsOwnLine() throws IOException {
            write(dir, PRICES_HEADER + GPT_4O + "openai,o1,2025-01-01,,-15,60", DEFAULT_FEE);
            assertRefused(RulesLoader.MODEL_PRICES, 3, "is negative");
        }

        @ParameterizedTest(name = "fee_pct {0}")
        @ValueSource(strings = {"-0.01", "1.01", "20"})
        void refusesFeeOutsideZeroToOne(String feePct) throws IOException {
            write(dir, PRICES_HEADER + GPT_4O, "2024-01-01,2025-01-01,0.20\n2025-01-01,," + feePct + "\n");
            assertRefused(RulesLoader.MARKETPLACE_FEE, 3, "fee_pct " + feePct + " must be a fraction from 0 to 1");
        }

        @ParameterizedTest(name = "fee_pct {0}")
        @ValueSource(strings = {"0", "1", "0.125"})
        void acceptsFeeFromZeroToOneInclusive(String feePct) throws IOException {
            write(dir, PRICES_HEADER + GPT_4O, "2025-01-01,," + feePct + "\n");
            assertThat(RulesLoader.load(dir).feeFractionOn(LocalDate.of(2026, 3, 2))).isEqualByComparingTo(feePct);
        }

        @Test
        void refusesOverlappingFeeRows() throws IOException {
            write(dir, PRICES_HEADER + GPT_4O, "2025-01-01,2026-01-01,0.20\n2025-12-01,,0.15\n");
            assertRefused(RulesLoader.MARKETPLACE_FEE, 3, "effective dates overlap the fee row at");
        }

        @Test
        void acceptsTrailingZerosAndAdjacentRanges() throws IOException {
            write(dir, PRICES_HEADER + "openai,gpt-4o,2025-01-01,2026-01-01,2.5000,10.000\n"
                    + "openai,gpt-4o,2026-01-01,,2.50,10\n", DEFAULT_FEE);
            assertThat(RulesLoader.load(dir).priceAt("openai", "gpt-4o", MARCH_2026)).isPresent();
        }

        @Test
        void refusesAMissingDirectoryOrPriceFile() throws IOException {
            assertThatThrownBy(() -> RulesLoader.load(dir.resolve("nope")))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
            Files.writeString(dir.resolve(RulesLoader.MARKETPLACE_FEE), FEES_HEADER + DEFAULT_FEE);
            assertThatThrownBy(() -> RulesLoader.load(dir))
                    .isInstanceOf(BadInputException.class).hasMessageContaining(RulesLoader.MODEL_PRICES + " is missing");
        }

        void assertRefused(String file, int line, String reason) {
            assertThatThrownBy(() -> RulesLoader.load(dir))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith(dir.resolve(file) + " line " + line + ":")
                    .hasMessageContaining(reason);
        }
    }

    static void write(Path dir, String prices, String feeRows) throws IOException {
        Files.writeString(dir.resolve(RulesLoader.MODEL_PRICES), prices);
        Files.writeString(dir.resolve(RulesLoader.MARKETPLACE_FEE), FEES_HEADER + feeRows);
    }
}
