package tally.plans;

import tally.infra.BadInputException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Effective-dated rows by key; rows of one key may not overlap in time (refused naming both lines). */
public final class EffectiveTable<T extends Effective> {

    private final Map<String, List<T>> rowsByKey = new LinkedHashMap<>();

    public void add(String key, T row) {
        List<T> rows = rowsByKey.computeIfAbsent(key, k -> new ArrayList<>());
        for (T other : rows) {
            if (other.overlaps(row)) {
                throw new BadInputException(row.source() + ": effective dates of " + key + " overlap the row at "
                        + other.source());
            }
        }
        rows.add(row);
    }

    public Optional<T> at(String key, Instant at) {
        return rowsByKey.getOrDefault(key, List.of()).stream().filter(r -> r.covers(at)).findFirst();
    }

    public List<T> all() {
        return rowsByKey.values().stream().flatMap(List::stream).toList();
    }
}
