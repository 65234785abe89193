package tally.usage;

import org.junit.jupiter.api.Test;
import tally.reference.Account;
import tally.reference.AgentEndpoint;
import tally.reference.Bot;
import tally.reference.ReferenceData;
import tally.reference.Tool;
import tally.rules.ModelPrice;
import tally.rules.RatingRules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalTextTest {

    private static final String ACCOUNT = "acct-1";

    private final ReferenceData reference = new ReferenceData(
            Map.of(ACCOUNT, new Account(ACCOUNT, "aerostack", "pro", "monthly", null, false, false, false, false, false)),
            Map.of("bot-1", new Bot("bot-1", ACCOUNT, "Bot", "web", "wallet", null, null, null, null)),
            Map.of("agent-1", new AgentEndpoint("agent-1", ACCOUNT, "Agent", 5, "api_key")),
            Map.of("tool-1", new Tool("tool-1", ACCOUNT, "Tool", 3)));
    private final RatingRules rules = new RatingRules(Map.of("openai/gpt-4o", List.of(new ModelPrice("openai", "gpt-4o",
            Instant.parse("2026-01-01T00:00:00Z"), null, 250, 1000, "test"))), List.of(), "test");
    private final CanonicalText canonical = new CanonicalText(reference, rules);

    @Test
    void anIdOrWordItKnowsComesBackAsItsOneInstance() {
        assertThat(canonical.apply(new String(ACCOUNT))).isSameAs(reference.accounts().keySet().iterator().next());
        assertThat(canonical.apply(new String("bot-1"))).isSameAs(reference.bots().keySet().iterator().next());
        assertThat(canonical.apply(new String("agent-1"))).isEqualTo("agent-1")
                .isSameAs(canonical.apply(new String("agent-1")));
        assertThat(canonical.apply(new String("tool-1"))).isSameAs(canonical.apply(new String("tool-1")));
        assertThat(canonical.apply(new String("gpt-4o"))).isSameAs(rules.pricesByModel().get("openai/gpt-4o").get(0).model());
        assertThat(canonical.apply(new String("bot_message"))).isSameAs(UsageKind.BOT_MESSAGE.code());
        assertThat(canonical.apply(new String("success"))).isSameAs("success");
    }

    @Test
    void otherTextComesBackAsItIs() {
        String unknown = new String("acct-ghost");
        assertThat(canonical.apply(unknown)).isSameAs(unknown);
    }
}
