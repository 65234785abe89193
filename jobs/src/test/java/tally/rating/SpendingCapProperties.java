package tally.rating;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tally.money.Money;
import tally.reference.Bot;
import tally.usage.UsageEvent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A random stream of wallet-mode messages for one bot with random caps, rated in (occurred_at,
 * event_id) order: no cap is ever exceeded, and an event is cut (capped) only when some cap it
 * falls under is used up exactly by it.
 */
class SpendingCapProperties {

    record Message(String eventId, Instant occurredAt, String conversationId, long tokensOutput, boolean success) {
    }

    record Caps(Long lifetime, Long conversation, Long daily, Long monthly) {
    }

    @Provide
    Arbitrary<Caps> caps() {
        Arbitrary<Long> cap = Arbitraries.longs().between(0, 20).injectNull(0.4);
        return Combinators.combine(cap, cap, cap, cap).as(Caps::new);
    }

    @Provide
    Arbitrary<List<Message>> messages() {
        Instant start = Instant.parse("2026-03-25T00:00:00Z");
        Arbitrary<Message> message = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofLength(6),
                Arbitraries.longs().between(0, 12L * 24 * 3600).map(start::plusSeconds),   // into April
                Arbitraries.of("conv-1", "conv-2", "conv-3"),
                Arbitraries.longs().between(0, 3000),                                      // up to 3 cents
                Arbitraries.of(true, true, true, false)).as(Message::new);
        return message.list().ofMaxSize(60).map(list -> list.stream()
                .sorted(Comparator.comparing(Message::occurredAt).thenComparing(Message::eventId)).toList());
    }

    @Property(tries = 200)
    void chargesStayUnderEveryCap(@ForAll("caps") Caps caps, @ForAll("messages") List<Message> messages) {
        Bot bot = new Bot("bot-capped", RatingFixtures.OWNER, "Capped bot", "web", "wallet",
                caps.lifetime(), caps.conversation(), caps.daily(), caps.monthly());
        Rater rater = new Rater(RatingFixtures.RULES, RatingFixtures.reference(bot));
        Map<String, BotSpend> spends = new HashMap<>();
        Function<Bot, BotSpend> spendOf = b -> spends.computeIfAbsent(b.botId(), k -> new BotSpend(b));

        long lifetime = 0;
        Map<String, Long> byConversation = new HashMap<>();
        Map<LocalDate, Long> byDay = new HashMap<>();
        Map<YearMonth, Long> byMonth = new HashMap<>();
        for (Message m : messages) {
            RatingFixtures.Ev ev = RatingFixtures.event().resource(bot.botId()).conversation(m.conversationId())
                    .tokens(0, m.tokensOutput());
            ev.occurredAt = m.occurredAt();
            ev.eventId = m.eventId();
            if (!m.success()) {
                ev.failed();
            }
            UsageEvent event = ev.build();
            RatingOutcome.Rated rated = (RatingOutcome.Rated) rater.rate(event, spendOf);
            long due = m.success() ? rated.costUcents() : 0;
            assertThat(rated.chargeUcents()).isBetween(0L, due);
            assertThat(rated.capped()).isEqualTo(rated.chargeUcents() < due);

            LocalDate day = m.occurredAt().atZone(ZoneOffset.UTC).toLocalDate();
            lifetime += rated.chargeUcents();
            long conversation = byConversation.merge(m.conversationId(), rated.chargeUcents(), Long::sum);
            long daily = byDay.merge(day, rated.chargeUcents(), Long::sum);
            long monthly = byMonth.merge(YearMonth.from(day), rated.chargeUcents(), Long::sum);

            assertThat(withinCap(lifetime, caps.lifetime())).isTrue();
            assertThat(withinCap(conversation, caps.conversation())).isTrue();
            assertThat(withinCap(daily, caps.daily())).isTrue();
            assertThat(withinCap(monthly, caps.monthly())).isTrue();
            if (rated.capped()) {
                assertThat(atCap(lifetime, caps.lifetime()) || atCap(conversation, caps.conversation())
                        || atCap(daily, caps.daily()) || atCap(monthly, caps.monthly()))
                        .as("a capped event uses up what was left of some cap").isTrue();
            }
        }
    }

    static boolean withinCap(long spentUcents, Long capCents) {
        return capCents == null || spentUcents <= Money.centsToUcents(capCents);
    }

    static boolean atCap(long spentUcents, Long capCents) {
        return capCents != null && spentUcents == Money.centsToUcents(capCents);
    }
}
