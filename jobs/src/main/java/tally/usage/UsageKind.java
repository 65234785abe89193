package tally.usage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The kinds of usage event (CONTRACT.md). */
public enum UsageKind {
    BOT_MESSAGE, AGENT_RUN, TOOL_CALL, API_REQUEST, GATEWAY_REQUEST, MCP_PROXY_CALL, LOGIC_ENGINE_CALL, STORAGE_SNAPSHOT;

    private static final Map<String, UsageKind> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toMap(UsageKind::code, Function.identity()));

    private final String code = name().toLowerCase(Locale.ROOT);

    /** The column value, e.g. {@code bot_message} (computed once: rating asks for it per event). */
    public String code() {
        return code;
    }

    /** The kind for a column value, or null if it is not one. */
    public static UsageKind ofCode(String code) {
        return BY_CODE.get(code);
    }

    /** Kinds billed per resource (bot, agent endpoint, tool). */
    public boolean hasResource() {
        return this == BOT_MESSAGE || this == AGENT_RUN || this == TOOL_CALL;
    }

    /** Kinds that carry LLM tokens and a (provider, model). */
    public boolean usesModel() {
        return this == BOT_MESSAGE || this == AGENT_RUN;
    }
}
