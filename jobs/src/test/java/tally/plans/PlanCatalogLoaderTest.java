package tally.plans;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.infra.BadInputException;
import tally.testing.Cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanCatalogLoaderTest {

    static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    @Test
    void theCatalogsCarryTheSpecFigures() {
        PlanCatalog catalog = PlanCatalogLoader.load(Cli.RULES);
        Plan starter = catalog.plan("aerostack", "starter", DAY);
        assertThat(starter.monthlyPriceCents()).isEqualTo(1900);
        assertThat(starter.yearlyPriceCents()).isEqualTo(17_100);
        assertThat(starter.grace()).isEqualByComparingTo("0.15");
        assertThat(starter.limit(Counter.API_REQUESTS)).isEqualTo(500_000);
        assertThat(starter.limit(Counter.STORAGE_BYTES)).isEqualTo(7_000_000_000L);
        assertThat(starter.resourceCounts()).containsEntry("projects", 5L).containsEntry("realtime_connections", 1000L);
        Plan premium = catalog.plan("agentstack", "premium", DAY);
        assertThat(premium.priceCents(BillingInterval.YEARLY)).isEqualTo(899_100);
        assertThat(premium.analyticsRetentionDays()).isEqualTo(365);
        assertThat(premium.grace()).isNull();
        assertThat(premium.resourceCounts()).containsEntry("projects", null);
        Plan enterprise = catalog.plan("agentstack", "enterprise", DAY);
        assertThat(enterprise.monthlyPriceCents()).isNull();
        assertThat(enterprise.analyticsRetentionDays()).isNull();
        assertThat(catalog.overagePrice("agentstack", Counter.STORAGE_BYTES, DAY)).isEmpty();
        assertThat(catalog.product("agentstack", "storage_25gb", DAY).capacity()).isEqualTo(25_000_000_000L);
    }

    @Test
    void aYearlyPriceThatIsNotTwelveTimesMonthlyLessAQuarterIsRefusedWithFileAndLine(@TempDir Path dir) throws IOException {
        Path rules = copyRules(dir);
        replace(rules.resolve("plan-tiers.csv"), "19.00,171.00", "19.00,228.00");
        assertThatThrownBy(() -> PlanCatalogLoader.load(rules)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("plan-tiers.csv line 15").hasMessageContaining("12 x monthly x 0.75 = 171.00");
    }

    @Test
    void overlappingRowsAndUnknownTiersAreRefused(@TempDir Path dir) throws IOException {
        Path rules = copyRules(dir);
        Files.writeString(rules.resolve("overage-prices.csv"), "agentstack,api_calls,2026-01-01,,0.40,0.01\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> PlanCatalogLoader.load(rules)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("overage-prices.csv line 9").hasMessageContaining("overlap");
        Path other = copyRules(dir.resolve("other"));
        replace(other.resolve("plan-limits.csv"), "agentstack,premium,", "agentstack,platinum,");
        assertThatThrownBy(() -> PlanCatalogLoader.load(other)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("plan-limits.csv line").hasMessageContaining("unknown tier 'platinum'");
    }

    @Test
    void aTierLackingACounterLimitIsRefused(@TempDir Path dir) throws IOException {
        Path rules = copyRules(dir);
        replace(rules.resolve("plan-limits.csv"), "aerostack,pro,2025-01-01,,ai_tokens,10000000\n", "");
        assertThatThrownBy(() -> PlanCatalogLoader.load(rules)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no ai_tokens limit").hasMessageContaining("plan-tiers.csv line");
    }

    @Test
    void theCliRefusesBadCatalogsWithExitTwo(@TempDir Path dir) throws IOException {
        Path rules = copyRules(dir.resolve("rules"));
        replace(rules.resolve("package-products.csv"), "storage_5gb,2025-01-01,,storage,storage_bytes,5000000000,0.50",
                "storage_5gb,2025-01-01,,storage,storage_bytes,5000000000,-0.50");
        Cli cli = new Cli(dir.resolve("home")).withRules(rules);
        cli.importSample();
        Cli.Result result = cli.run("close-month", "--month", "2026-03");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("package-products.csv line").contains("negative");
    }

    static Path copyRules(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Cli.RULES)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return dir;
    }

    static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
