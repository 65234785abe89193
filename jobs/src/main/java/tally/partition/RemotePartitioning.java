package tally.partition;

import org.postgresql.jdbc.PgConnection;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import tally.infra.DatabaseServer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.ToIntFunction;

/**
 * Spring Batch remote partitioning over Tally's own PostgreSQL: a manager step hands its partitions
 * to {@code ./tally worker} JVMs through a Spring Integration channel kept in the database
 * ({@link JdbcChannelMessageStore}, table {@code INT_CHANNEL_MESSAGE} of migration V10), and learns
 * their results from the JobRepository the workers update.
 *
 * <pre>
 *  manager step (PartitionStep)                       PostgreSQL                         ./tally worker (any number)
 *  split -> StepExecutions (STARTING) ------ StepExecutionRequest ------> INT_CHANNEL_MESSAGE --NOTIFY--> take one (DELETE .. SKIP LOCKED)
 *  poll BATCH_STEP_EXECUTION until none running <----- status, counts ---- JobRepository <----- lock partition, execute worker step
 *  watchdog: STARTED but its lock is free -> FAILED                                                (advisory lock per partition)
 * </pre>
 *
 * Inert until used: nothing connects, listens or starts with the application context. A manager
 * step gets its {@link PartitionHandler} from {@link #handler}; {@code ./tally worker} runs
 * {@link #worker}.
 *
 * <p>Settings (Spring properties): {@code tally.partition.poll-interval} (how often the manager reads
 * the JobRepository and its watchdog looks for dead workers, default 1s), {@code tally.partition.grace}
 * (how long a partition must look abandoned before it is failed, default 5s),
 * {@code tally.partition.timeout} (the manager's overall limit, default none) and
 * {@code tally.partition.worker-poll} (a worker's fallback poll of the channel besides push
 * notifications, default 10s).
 */
@Component
public class RemotePartitioning {

    /** The region of Tally's rows in {@code INT_CHANNEL_MESSAGE}. */
    public static final String REGION = "TALLY";
    /** The channel (message group) of partition requests: one for every worker step; a request names its step. */
    public static final String REQUESTS = "tally.partition.requests";
    /** {@code application_name} of a worker's listening connection: how a manager counts the workers. */
    static final String WORKER_APPLICATION_NAME = "tally-worker";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final JobRepository repository;
    private final PlatformTransactionManager transactions;
    private final DatabaseServer server;
    private final ObjectProvider<Step> steps;
    private final BeanFactory beanFactory;
    private final Duration pollInterval;
    private final Duration grace;
    private final Duration timeout;
    private final Duration workerPoll;

    public RemotePartitioning(DataSource dataSource, JobRepository repository, PlatformTransactionManager transactions,
                              DatabaseServer server, ObjectProvider<Step> steps, BeanFactory beanFactory,
                              @Value("${tally.partition.poll-interval:1s}") Duration pollInterval,
                              @Value("${tally.partition.grace:5s}") Duration grace,
                              @Value("${tally.partition.timeout:0s}") Duration timeout,
                              @Value("${tally.partition.worker-poll:10s}") Duration workerPoll) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.repository = repository;
        this.transactions = transactions;
        this.server = server;
        this.steps = steps;
        this.beanFactory = beanFactory;
        this.pollInterval = positive(pollInterval, "tally.partition.poll-interval");
        this.grace = grace;
        this.timeout = timeout.isZero() ? null : timeout;
        this.workerPoll = positive(workerPoll, "tally.partition.worker-poll");
    }

    /**
     * The manager side of a partitioned step whose partitions run in worker JVMs.
     *
     * @param workerStepName the name of the worker {@link Step}: a Step bean of the application, found by
     *                       its name in each worker ({@link Step#getName()}); also the prefix of the partition
     *                       step executions ({@code <workerStepName>:<partition>})
     * @param gridSize       how many partitions to ask the partitioner for, per manager step execution
     *                       (e.g. from a job parameter); a restart reuses the first run's partitions
     */
    public PartitionHandler handler(String workerStepName, ToIntFunction<StepExecution> gridSize) {
        return new RemotePartitionHandler(this, workerStepName, gridSize, timeout);
    }

    /** A worker that runs up to {@code threads} partitions at once; {@link PartitionWorker#start()} connects it. */
    public PartitionWorker worker(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker needs at least one thread, got " + threads);
        }
        return new PartitionWorker(this, threads);
    }

    /** The channel's message store: {@code INT_CHANNEL_MESSAGE}, region {@link #REGION}, PostgreSQL's polling query. */
    JdbcChannelMessageStore messageStore() {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(1);
        JdbcChannelMessageStore store = new JdbcChannelMessageStore();
        store.setJdbcTemplate(template);
        store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
        store.setRegion(REGION);
        // Messages are Java-serialized; read back only what a partition request is made of.
        store.addAllowedPatterns("org.springframework.messaging.*", "org.springframework.integration.*",
                StepExecutionRequest.class.getName(), "java.util.*", "java.lang.*");
        store.afterPropertiesSet();
        return store;
    }

    /** A connection outside the pool (its own session), e.g. for LISTEN or to hold a partition's lock. */
    Connection unpooledConnection(String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (server.user() != null) {
            properties.setProperty("user", server.user());
        }
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }

    PgConnection listeningConnection() throws SQLException {
        Connection connection = unpooledConnection(WORKER_APPLICATION_NAME);
        try {
            return connection.unwrap(PgConnection.class);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Spring Integration's channels want one (for their optional infrastructure beans; Tally defines none). */
    BeanFactory beanFactory() {
        return beanFactory;
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    JobRepository repository() {
        return repository;
    }

    PlatformTransactionManager transactions() {
        return transactions;
    }

    ObjectProvider<Step> steps() {
        return steps;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    Duration grace() {
        return grace;
    }

    Duration workerPoll() {
        return workerPoll;
    }

    private static Duration positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
