package tally.report;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportPageTest {

    @Test
    void centsShowAsDollarsWithoutRounding() {
        assertThat(ReportPage.dollars(1234L)).isEqualTo("$12.34");
        assertThat(ReportPage.dollars(5L)).isEqualTo("$0.05");
        assertThat(ReportPage.dollars(-105L)).isEqualTo("-$1.05");
        assertThat(ReportPage.dollars(null)).isEqualTo("&ndash;");
    }

    @Test
    void namesAreEscapedInTablesAndScriptData() {
        ReportData data = new ReportData(LocalDate.parse("2026-03-04"), Map.of("controls_ok", false), List.of(),
                List.of(new ReportData.Ranked("bot_x", "<b>x</b></script>", 100)), List.of(), List.of());
        String html = ReportPage.render(data);
        assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;&lt;/script&gt;", "control totals fail")
                .doesNotContain("<b>x</b>").doesNotContain("</script>\"");
    }
}
