package tally.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock on 127.0.0.1 standing in for Stripe. While open, in-process commands see it through the
 * Spring properties {@code stripe.api-key} / {@code stripe.api-base} (system properties); a child
 * JVM gets {@code STRIPE_API_KEY} / {@code STRIPE_API_BASE} from {@link #environment()}.
 */
public final class StripeStub implements AutoCloseable {

    public static final String API_KEY = "sk_test_tally_never_logged_4242";
    public static final String TRANSFERS = "/v1/transfers";
    public static final String PAYMENT_INTENTS = "/v1/payment_intents";

    private final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    public StripeStub() {
        server.start();
        System.setProperty("stripe.api-key", API_KEY);
        System.setProperty("stripe.api-base", baseUrl());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public Map<String, String> environment() {
        return Map.of("STRIPE_API_KEY", API_KEY, "STRIPE_API_BASE", baseUrl());
    }

    /** Short read timeout, for tests of lost responses. */
    public void readTimeoutMs(int ms) {
        System.setProperty("stripe.read-timeout-ms", Integer.toString(ms));
    }

    public WireMockServer server() {
        return server;
    }

    public void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    /** Every transfer request answered with transfer {@code transferId}. */
    public void transfersSucceed(String transferId) {
        server.stubFor(post(urlEqualTo(TRANSFERS)).willReturn(transfer(transferId)));
    }

    public static ResponseDefinitionBuilder transfer(String transferId) {
        return okJson("{\"id\": \"" + transferId + "\", \"object\": \"transfer\", \"currency\": \"usd\"}");
    }

    public static ResponseDefinitionBuilder paymentIntent(String id, String status) {
        return okJson("{\"id\": \"" + id + "\", \"object\": \"payment_intent\", \"status\": \"" + status + "\"}");
    }

    public static ResponseDefinitionBuilder error(int httpStatus, String type, String code, String message) {
        return aResponse().withStatus(httpStatus).withHeader("Content-Type", "application/json")
                .withBody("{\"error\": {\"type\": \"" + type + "\", \"code\": \"" + code + "\", \"message\": \"" + message + "\"}}");
    }

    public List<LoggedRequest> requests(String path) {
        return server.findAll(postRequestedFor(urlEqualTo(path)));
    }

    public static String idempotencyKey(LoggedRequest request) {
        return request.getHeader("Idempotency-Key");
    }

    /** The form fields of a request body ({@code metadata[k]} keys as sent). */
    public static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    @Override
    public void close() {
        System.clearProperty("stripe.api-key");
        System.clearProperty("stripe.api-base");
        System.clearProperty("stripe.read-timeout-ms");
        server.stop();
    }
}
