package bank.access;

import bank.db.Database;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import net.sourceforge.argparse4j.inf.Subparsers;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code clients}: administration of the API's clients, from the service's own jar and configuration.
 * <pre>
 * java -jar bank-service.jar clients create --name NAME --scope SCOPE [--scope SCOPE ...]
 *                                           [--rate-limit RATE/s [--burst N]] config.yml
 * java -jar bank-service.jar clients list config.yml
 * java -jar bank-service.jar clients rotate ID [--old-key-expires-in 24h] config.yml
 * java -jar bank-service.jar clients set-rate-limit ID (RATE/s [--burst N] | default) config.yml
 * java -jar bank-service.jar clients revoke ID config.yml
 * </pre>
 * {@code create} and {@code rotate} print the new key once; nothing stores it, and nothing can show it again.
 * {@code list} never shows a key, only the start that tells keys apart. The schema must be up to date: the service
 * migrates it when it starts, or {@code migrate} does.
 */
public class ClientsCommand<T extends Configuration> extends ConfiguredCommand<T> {

    private static final String ACTION = "action";
    private static final String DEFAULT = "default";
    /** The longest an old key may go on working after a rotation. */
    private static final Duration LONGEST_OVERLAP = Duration.ofDays(30);

    private final Class<T> configurationClass;
    private final Function<T, DataSourceFactory> database;
    private final Function<T, AccessConfig> access;

    public ClientsCommand(Class<T> configurationClass, Function<T, DataSourceFactory> database,
                          Function<T, AccessConfig> access) {
        super("clients", "Creates, lists, rotates and revokes the API's clients and their keys, and sets their rate "
                + "limits.");
        this.configurationClass = configurationClass;
        this.database = database;
        this.access = access;
    }

    @Override
    protected Class<T> getConfigurationClass() {
        return configurationClass;
    }

    @Override
    public void configure(Subparser subparser) {
        Subparsers actions = subparser.addSubparsers().dest(ACTION).title("actions");
        Subparser create = actions.addParser("create").help("creates a client and prints its key, once");
        create.addArgument("--name").required(true).help("a label for people, such as the application's name");
        create.addArgument("--scope").required(true).action(Arguments.append()).metavar("SCOPE")
                .help("a scope the key grants, repeated for each: " + String.join(", ", Scope.ALL));
        create.addArgument("--rate-limit").metavar("RATE/s")
                .help("the client's own rate limit, such as 50/s; without it, access.rateLimit's default");
        create.addArgument("--burst").type(Integer.class).metavar("N")
                .help("requests the client may send at once (default: two seconds' worth of its rate)");
        addFileArgument(create);
        addFileArgument(actions.addParser("list").help("lists the clients and their keys, without the keys"));
        Subparser rotate = actions.addParser("rotate").help("gives a client a new key and prints it, once; its old "
                + "key keeps working until it expires");
        rotate.addArgument("id").help("the client's id, as `clients list` shows it");
        rotate.addArgument("--old-key-expires-in").setDefault("24h").metavar("DURATION")
                .help("how long the old key keeps working, such as 24h, 30m or 0s (default 24h, at most 30d)");
        addFileArgument(rotate);
        Subparser limit = actions.addParser("set-rate-limit").help("sets a client's own rate limit, or puts it "
                + "back on the default");
        limit.addArgument("id").help("the client's id, as `clients list` shows it");
        limit.addArgument("rate").metavar("RATE/s|default").help("such as 50/s; or default, for access.rateLimit's");
        limit.addArgument("--burst").type(Integer.class).metavar("N")
                .help("requests the client may send at once (default: two seconds' worth of its rate)");
        addFileArgument(limit);
        Subparser revoke = actions.addParser("revoke").help("revokes a client and all its keys");
        revoke.addArgument("id").help("the client's id, as `clients list` shows it");
        addFileArgument(revoke);
    }

    @Override
    protected void run(Bootstrap<T> bootstrap, Namespace namespace, T configuration) throws Exception {
        DataSourceFactory factory = database.apply(configuration);
        factory.asSingleConnectionPool();
        ManagedDataSource dataSource = factory.build(new MetricRegistry(), "clients");
        AccessConfig settings = access.apply(configuration);
        try {
            ApiClients clients = new ApiClients(Database.jdbi(dataSource));
            PrintStream out = System.out;
            switch (namespace.getString(ACTION)) {
                case "create" -> create(clients, namespace, settings, out);
                case "list" -> list(clients.list(), settings, out);
                case "rotate" -> rotate(clients, namespace, out);
                case "set-rate-limit" -> setRateLimit(clients, namespace, settings, out);
                case "revoke" -> revoke(clients, namespace.getString("id"), settings.getKeyCacheTtl().toSeconds(), out);
                default -> throw new IllegalArgumentException("unknown action " + namespace.getString(ACTION));
            }
        } finally {
            dataSource.stop();
        }
    }

    /** A refusal is a one-line message, not a stack trace. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("clients " + namespace.getString(ACTION) + ": " + e.getMessage());
    }

    private static void create(ApiClients clients, Namespace namespace, AccessConfig settings, PrintStream out) {
        List<String> requested = namespace.getList("scope");
        Set<String> scopes = Scope.parse(String.join(" ", requested));
        String rate = namespace.getString("rate_limit");
        Integer burst = namespace.getInt("burst");
        if (rate == null && burst != null) {
            throw new IllegalArgumentException("--burst goes with --rate-limit");
        }
        RatePolicy policy = rate == null ? null : RatePolicy.parse(rate, burst);
        ApiClients.Created created = clients.create(namespace.getString("name"), scopes, policy);
        ApiClient client = created.client();
        out.println("Created API client " + client.id() + " \"" + client.name() + "\" with the scopes "
                + Scope.format(client.scopes()) + " and the rate limit " + rateLimit(client, settings) + ".");
        out.println("Its key, shown this once only (keep it secret):");
        out.println(created.key());
    }

    /** One line per client, then one indented line per key, newest last. Times are UTC, to the second. */
    private static void list(List<ApiClients.Listed> clients, AccessConfig settings, PrintStream out) {
        Instant now = Instant.now();
        int nameWidth = Math.max(4, clients.stream().mapToInt(c -> c.client().name().length()).max().orElse(0));
        String row = "%-36s  %-" + nameWidth + "s  %s%n";
        out.printf(Locale.ROOT, row, "ID", "NAME", "STATE; SCOPES; RATE LIMIT");
        String keyRow = "    key %-15s  %-8s  %-20s  %s%n";
        for (ApiClients.Listed listed : clients) {
            ApiClient client = listed.client();
            out.printf(Locale.ROOT, row, client.id(), client.name(), state(client, listed.keys()) + "; "
                    + (client.scopes().isEmpty() ? "no scopes" : Scope.format(client.scopes())) + "; "
                    + rateLimit(client, settings));
            for (ApiKey key : listed.keys()) {
                ApiKey.State state = key.state(now);
                Instant until = state == ApiKey.State.REVOKED ? key.revokedAt() : key.expiresAt();
                out.printf(Locale.ROOT, keyRow, key.shown() + "...", state,
                        until == null ? "no expiry" : (state == ApiKey.State.REVOKED ? "since " : "until ") + second(until),
                        key.lastUsed() == null ? "never used" : "last used " + second(key.lastUsed()));
            }
        }
    }

    private static String state(ApiClient client, List<ApiKey> keys) {
        if (client.revokedAt() != null) {
            return "revoked " + second(client.revokedAt());
        }
        return keys.isEmpty() ? "no key" : "active";
    }

    private static String rateLimit(ApiClient client, AccessConfig settings) {
        return client.ratePolicy() != null ? client.ratePolicy().toString()
                : settings.getRateLimit().defaultPolicy() + " (the default)";
    }

    private static String second(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void rotate(ApiClients clients, Namespace namespace, PrintStream out) {
        UUID id = clientId(namespace.getString("id"));
        String lifetime = namespace.getString("old_key_expires_in");
        Duration overlap;
        try {
            overlap = io.dropwizard.util.Duration.parse(lifetime).toJavaDuration();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + lifetime + "\" is not a duration; write it as 24h, 30m or 0s");
        }
        if (overlap.compareTo(LONGEST_OVERLAP) > 0) {
            throw new IllegalArgumentException("an old key may go on working for 30 days at most");
        }
        ApiClients.Created rotated = clients.rotate(id, overlap);
        out.println("Gave API client " + id + " \"" + rotated.client().name() + "\" a new key. Its other keys stop "
                + "working " + (overlap.isZero() ? "now" : "within " + lifetime) + ":");
        for (ApiKey key : clients.keysOf(id)) {
            if (key.isLive(Instant.now()) && key.expiresAt() != null) {
                out.println("  " + key.shown() + "... until " + second(key.expiresAt()));
            }
        }
        out.println("The new key, shown this once only (keep it secret):");
        out.println(rotated.key());
    }

    private static void setRateLimit(ApiClients clients, Namespace namespace, AccessConfig settings, PrintStream out) {
        UUID id = clientId(namespace.getString("id"));
        String rate = namespace.getString("rate");
        Integer burst = namespace.getInt("burst");
        RatePolicy policy;
        if (DEFAULT.equals(rate)) {
            if (burst != null) {
                throw new IllegalArgumentException("--burst goes with a rate, not with default");
            }
            policy = null;
        } else {
            policy = RatePolicy.parse(rate, burst);
        }
        ApiClient client = clients.setRatePolicy(id, policy)
                .orElseThrow(() -> new IllegalArgumentException("no client has the id " + id));
        out.println("API client " + client.id() + " \"" + client.name() + "\" now has the rate limit "
                + rateLimit(client, settings) + ", on every instance within " + settings.getKeyCacheTtl().toSeconds()
                + " s (access.keyCacheTtl) at most.");
    }

    private static UUID clientId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + id + "\" is not a client id; `clients list` shows them");
        }
    }

    private static void revoke(ApiClients clients, String id, long cacheSeconds, PrintStream out) {
        UUID clientId = clientId(id);
        Optional<ApiClient> revoked = clients.revoke(clientId);
        ApiClient client = revoked.orElseThrow(() -> new IllegalArgumentException("no client has the id " + id));
        out.println("Revoked API client " + client.id() + " \"" + client.name() + "\" on "
                + second(client.revokedAt()) + ". Its keys stop working on every instance within 1 s, or within "
                + cacheSeconds + " s (access.keyCacheTtl) for an instance that is not connected to the database now.");
    }
}
