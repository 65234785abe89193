package tally.cli;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON for stdout: key order as built (LinkedHashMap), pretty for people, compact for storage. */
public final class Json {

    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonMapper COMPACT = JsonMapper.builder().build();

    private Json() {
    }

    public static String pretty(Object value) {
        return PRETTY.writeValueAsString(value);
    }

    public static String compact(Object value) {
        return COMPACT.writeValueAsString(value);
    }

    public static JsonMapper mapper() {
        return COMPACT;
    }
}
