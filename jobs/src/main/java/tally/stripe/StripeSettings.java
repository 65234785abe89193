package tally.stripe;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How to reach Stripe: {@code STRIPE_API_KEY} and {@code STRIPE_API_BASE} from the environment (or the
 * Spring properties {@code stripe.api-key} / {@code stripe.api-base}, which in-process tests set).
 * Without a key every Stripe-backed step is skipped and says so. The key is never printed:
 * {@link #toString()} names the base URL only.
 */
@Component
public class StripeSettings {

    /** The SDK's retries of one call (network errors, 409, 5xx), all with the call's idempotency key. */
    public static final int DEFAULT_MAX_NETWORK_RETRIES = 2;
    public static final int DEFAULT_READ_TIMEOUT_MS = 30_000;

    private final String apiKey;
    private final String apiBase;
    private final int readTimeoutMs;
    private final int maxNetworkRetries;

    public StripeSettings(@Value("${stripe.api-key:}") String apiKey, @Value("${stripe.api-base:}") String apiBase,
                          @Value("${stripe.read-timeout-ms:" + DEFAULT_READ_TIMEOUT_MS + "}") int readTimeoutMs,
                          @Value("${stripe.max-network-retries:" + DEFAULT_MAX_NETWORK_RETRIES + "}") int maxNetworkRetries) {
        this.apiKey = apiKey == null ? "" : apiKey.trim();
        this.apiBase = apiBase == null ? "" : apiBase.trim();
        this.readTimeoutMs = readTimeoutMs;
        this.maxNetworkRetries = maxNetworkRetries;
    }

    public boolean configured() {
        return !apiKey.isEmpty();
    }

    String apiKey() {
        return apiKey;
    }

    /** Empty: Stripe's own API. */
    String apiBase() {
        return apiBase;
    }

    int readTimeoutMs() {
        return readTimeoutMs;
    }

    int maxNetworkRetries() {
        return maxNetworkRetries;
    }

    /** What a step prints when it does nothing for want of a key. */
    public static String notConfiguredMessage(String what) {
        return "STRIPE_API_KEY is not set: " + what + " skipped (nothing was sent to Stripe, nothing marked paid)";
    }

    @Override
    public String toString() {
        return "Stripe(" + (configured() ? "key set" : "no key") + ", base " + (apiBase.isEmpty() ? "api.stripe.com" : apiBase) + ")";
    }
}
