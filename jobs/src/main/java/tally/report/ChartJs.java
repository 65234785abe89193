package tally.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The Chart.js UMD build from its webjar, inlined into reports so they need no network to view. */
final class ChartJs {

    private static final String WEBJAR = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static String source;

    private ChartJs() {
    }

    static synchronized String source() {
        if (source == null) {
            String version = read(WEBJAR, in -> {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            });
            source = read("META-INF/resources/webjars/chart.js/" + version + "/dist/chart.umd.js",
                    in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return source;
    }

    private interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    private static <T> T read(String resource, Reader<T> reader) {
        try (InputStream in = ChartJs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (dependency org.webjars.npm:chart.js)");
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
