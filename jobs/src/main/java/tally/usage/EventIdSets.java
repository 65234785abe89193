package tally.usage;

import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.ByteBuffer;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The event ids each arrival day rated, as sorted {@link EventIdHash}es in {@code event_id_set}
 * (V17), {@link #IDS_PER_CHUNK} to a chunk: written once when a day is staged, probed by later
 * days' dedup. A day's set is the size of its events (16 bytes each); a probe reads only the
 * chunks holding the hashes it is asked about.
 */
public final class EventIdSets {

    /** Hashes per stored chunk (1 MiB of bytea). */
    static final int IDS_PER_CHUNK = 1 << 16;

    private final JdbcTemplate jdbc;

    public EventIdSets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void delete(LocalDate day) {
        jdbc.update("delete from event_id_set where arrival_date = ?", Date.valueOf(day));
    }

    /** The days from..to (both included) that have a set. */
    public List<LocalDate> daysWithin(LocalDate from, LocalDate to) {
        return jdbc.queryForList("select distinct arrival_date from event_id_set where arrival_date between ? and ? order by 1",
                Date.class, Date.valueOf(from), Date.valueOf(to)).stream().map(Date::toLocalDate).toList();
    }

    /** Writes a day's set from hashes given in ascending order (each once). */
    public Writer writer(LocalDate day) {
        return new Writer(day);
    }

    /** Answers "did this day rate this id?" for hashes asked in ascending order. */
    public Probe probe(LocalDate day) {
        return new Probe(day);
    }

    public final class Writer implements AutoCloseable {
        private final LocalDate day;
        private final ByteBuffer chunk = ByteBuffer.allocate(IDS_PER_CHUNK * 16);
        private int chunkNo;
        private long firstHi;
        private long firstLo;
        private long lastHi;
        private long lastLo;
        private long written;

        private Writer(LocalDate day) {
            this.day = day;
        }

        public void add(long hi, long lo) {
            if (written > 0 && EventIdHash.compare(hi, lo, lastHi, lastLo) <= 0) {
                throw new IllegalStateException("event id hashes of " + day + " must be added in ascending order, once each");
            }
            if (chunk.position() == 0) {
                firstHi = hi;
                firstLo = lo;
            }
            chunk.putLong(hi).putLong(lo);
            lastHi = hi;
            lastLo = lo;
            written++;
            if (!chunk.hasRemaining()) {
                flush();
            }
        }

        public long written() {
            return written;
        }

        private void flush() {
            int ids = chunk.position() / 16;
            if (ids == 0) {
                return;
            }
            byte[] bytes = new byte[chunk.position()];
            chunk.flip().get(bytes);
            chunk.clear();
            jdbc.update("insert into event_id_set (arrival_date, chunk, first_hi, first_lo, ids, hashes) values (?, ?, ?, ?, ?, ?)",
                    Date.valueOf(day), chunkNo++, firstHi, firstLo, ids, bytes);
        }

        @Override
        public void close() {
            flush();
        }
    }

    public final class Probe {
        private final LocalDate day;
        private final List<long[]> firsts = new ArrayList<>(); // {chunk, first_hi, first_lo}, ascending
        private int current = -1;
        private ByteBuffer hashes;
        private int position;

        private Probe(LocalDate day) {
            this.day = day;
            jdbc.query("select chunk, first_hi, first_lo from event_id_set where arrival_date = ? order by chunk",
                    rs -> {
                        firsts.add(new long[] {rs.getInt(1), rs.getLong(2), rs.getLong(3)});
                    }, Date.valueOf(day));
        }

        public LocalDate day() {
            return day;
        }

        /** Whether the day's set holds the hash; each call's hash must not be below the previous call's. */
        public boolean contains(long hi, long lo) {
            int chunk = current < 0 ? -1 : current;
            while (chunk + 1 < firsts.size() && EventIdHash.compare(firsts.get(chunk + 1)[1], firsts.get(chunk + 1)[2], hi, lo) <= 0) {
                chunk++;
            }
            if (chunk < 0) {
                return false;
            }
            if (chunk != current) {
                current = chunk;
                byte[] bytes = jdbc.queryForObject("select hashes from event_id_set where arrival_date = ? and chunk = ?",
                        byte[].class, Date.valueOf(day), (int) firsts.get(chunk)[0]);
                hashes = ByteBuffer.wrap(bytes);
                position = 0;
            }
            int ids = hashes.capacity() / 16;
            while (position < ids && EventIdHash.compare(hashes.getLong(position * 16), hashes.getLong(position * 16 + 8), hi, lo) < 0) {
                position++;
            }
            return position < ids && hashes.getLong(position * 16) == hi && hashes.getLong(position * 16 + 8) == lo;
        }
    }
}
