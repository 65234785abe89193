package tally.scheduling;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tally.infra.BadInputException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code config/schedules.yaml}: the schedules in the order they run when several are due, and the
 * catch-up bound. Everything is checked on load (cron expressions, time zones, business-date rules,
 * {@code after} references, unknown keys); a mistake is a {@link BadInputException} naming the file
 * and the schedule.
 */
public record ScheduleConfig(List<Schedule> schedules, int maxRunsPerJob) {

    public static final int DEFAULT_MAX_RUNS_PER_JOB = 7;
    /** Upper limit of {@code max_runs_per_job}: a month of nights. */
    public static final int MAX_RUNS_PER_JOB_LIMIT = 31;

    private static final Set<String> TOP_KEYS = Set.of("catch_up", "schedules");
    private static final Set<String> CATCH_UP_KEYS = Set.of("max_runs_per_job");
    private static final Set<String> SCHEDULE_KEYS = Set.of("cron", "time_zone", "business_date", "after");

    public static ScheduleConfig load(Path file) {
        Object root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new BadInputException("schedule file " + file + " cannot be read: " + e.getMessage());
        } catch (YAMLException e) {
            throw new BadInputException("schedule file " + file + " is not valid YAML: " + e.getMessage());
        }
        Map<String, Object> top = map(root, "the top level", TOP_KEYS, file);
        int maxRuns = DEFAULT_MAX_RUNS_PER_JOB;
        if (top.get("catch_up") != null) {
            Object value = map(top.get("catch_up"), "catch_up", CATCH_UP_KEYS, file).get("max_runs_per_job");
            if (value != null) {
                if (!(value instanceof Integer n) || n < 1 || n > MAX_RUNS_PER_JOB_LIMIT) {
                    throw new BadInputException(file + ": catch_up.max_runs_per_job must be a whole number from 1 to "
                            + MAX_RUNS_PER_JOB_LIMIT + ", got " + value);
                }
                maxRuns = n;
            }
        }
        Map<String, Object> entries = map(top.get("schedules"), "schedules", null, file);
        if (entries.isEmpty()) {
            throw new BadInputException(file + ": no schedules");
        }
        List<Schedule> schedules = new ArrayList<>();
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            schedules.add(schedule(entry.getKey(), map(entry.getValue(), "schedule " + entry.getKey(), SCHEDULE_KEYS, file),
                    schedules, file));
        }
        return new ScheduleConfig(List.copyOf(schedules), maxRuns);
    }

    private static Schedule schedule(String name, Map<String, Object> fields, List<Schedule> earlier, Path file) {
        String where = file + ": schedule " + name + ": ";
        String cron = required(fields, "cron", where);
        ZoneId zone;
        try {
            zone = ZoneId.of(required(fields, "time_zone", where));
        } catch (DateTimeException e) {
            throw new BadInputException(where + "time_zone " + fields.get("time_zone") + " is not a time zone (e.g. UTC, Europe/Berlin)");
        }
        String rule = required(fields, "business_date", where);
        Schedule.BusinessDate businessDate = switch (rule) {
            case "previous_day" -> Schedule.BusinessDate.PREVIOUS_DAY;
            case "fire_day" -> Schedule.BusinessDate.FIRE_DAY;
            default -> throw new BadInputException(where + "business_date must be previous_day or fire_day, got " + rule);
        };
        Optional<String> after = Optional.ofNullable(fields.get("after")).map(Object::toString);
        if (after.isPresent() && earlier.stream().noneMatch(s -> s.name().equals(after.get()))) {
            throw new BadInputException(where + "after: " + after.get() + " must name a schedule listed above it");
        }
        try {
            return new Schedule(name, cron, zone, businessDate, after);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + e.getMessage());
        }
    }

    private static String required(Map<String, Object> fields, String key, String where) {
        Object value = fields.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new BadInputException(where + key + " is missing");
        }
        return value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what, Set<String> allowedKeys, Path file) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new BadInputException(file + ": " + what + " must be a mapping of keys to values");
        }
        if (allowedKeys != null) {
            for (Object key : map.keySet()) {
                if (!allowedKeys.contains(String.valueOf(key))) {
                    throw new BadInputException(file + ": " + what + ": unknown key " + key + " (known: "
                            + String.join(", ", allowedKeys.stream().sorted().toList()) + ")");
                }
            }
        }
        return (Map<String, Object>) map;
    }
}
