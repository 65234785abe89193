package tally.wallet;

import java.util.OptionalLong;

/**
 * Whether a wallet gets one more auto-reload in this run (RULES.md, Wallet: auto-reload). Pure:
 * reload {@code amount_cents} when auto-reload is on, a payment method is saved, it is not paused
 * by an earlier failure, the balance is below {@code threshold_cents}, and the wallet has had fewer
 * than {@link #MAX_RELOADS_PER_RUN} reloads in this run.
 */
public final class AutoReload {

    public static final int MAX_RELOADS_PER_RUN = 3;

    /** A wallet's auto-reload configuration (wallets.csv) and whether a failed charge paused it. */
    public record Settings(boolean enabled, Long thresholdCents, Long amountCents, String stripeCustomerId,
                           String stripePaymentMethodId, boolean paused) {

        boolean chargeable() {
            return enabled && !paused && thresholdCents != null && amountCents != null
                    && present(stripeCustomerId) && present(stripePaymentMethodId);
        }

        private static boolean present(String id) {
            return id != null && !id.isBlank();
        }
    }

    private AutoReload() {
    }

    /** The next reload's amount, or empty when none is due. */
    public static OptionalLong next(Settings settings, long balanceCents, int reloadsThisRun) {
        if (!settings.chargeable() || reloadsThisRun >= MAX_RELOADS_PER_RUN || balanceCents >= settings.thresholdCents()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(settings.amountCents());
    }
}
