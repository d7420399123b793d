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
 * java -jar bank-service.jar clients create --name NAME --scope SCOPE [--scope SCOPE ...] config.yml
 * java -jar bank-service.jar clients list config.yml
 * java -jar bank-service.jar clients revoke ID config.yml
 * </pre>
 * {@code create} prints the new key once; nothing stores it, and nothing can show it again. {@code list} never
 * shows a key, only the start that tells keys apart. The schema must be up to date: the service migrates it when it
 * starts, or {@code db migrate} does.
 */
public class ClientsCommand<T extends Configuration> extends ConfiguredCommand<T> {

    private static final String ACTION = "action";

    private final Class<T> configurationClass;
    private final Function<T, DataSourceFactory> database;
    private final Function<T, AccessConfig> access;

    public ClientsCommand(Class<T> configurationClass, Function<T, DataSourceFactory> database,
                          Function<T, AccessConfig> access) {
        super("clients", "Creates, lists and revokes the API's clients and their keys.");
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
        addFileArgument(create);
        addFileArgument(actions.addParser("list").help("lists the clients, without their keys"));
        Subparser revoke = actions.addParser("revoke").help("revokes a client's key");
        revoke.addArgument("id").help("the client's id, as `clients list` shows it");
        addFileArgument(revoke);
    }

    @Override
    protected void run(Bootstrap<T> bootstrap, Namespace namespace, T configuration) throws Exception {
        DataSourceFactory factory = database.apply(configuration);
        factory.asSingleConnectionPool();
        ManagedDataSource dataSource = factory.build(new MetricRegistry(), "clients");
        try {
            ApiClients clients = new ApiClients(Database.jdbi(dataSource));
            PrintStream out = System.out;
            switch (namespace.getString(ACTION)) {
                case "create" -> create(clients, namespace, out);
                case "list" -> list(clients.list(), out);
                case "revoke" -> revoke(clients, namespace.getString("id"),
                        access.apply(configuration).getKeyCacheTtl().toSeconds(), out);
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

    private static void create(ApiClients clients, Namespace namespace, PrintStream out) {
        List<String> requested = namespace.getList("scope");
        Set<String> scopes = Scope.parse(String.join(" ", requested));
        ApiClients.Created created = clients.create(namespace.getString("name"), scopes);
        ApiClient client = created.client();
        out.println("Created API client " + client.id() + " \"" + client.name() + "\" with the scopes "
                + Scope.format(client.scopes()) + ".");
        out.println("Its key, shown this once only (keep it secret):");
        out.println(created.key());
    }

    private static void list(List<ApiClient> clients, PrintStream out) {
        int nameWidth = Math.max(4, clients.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        String row = "%-36s  %-" + nameWidth + "s  %-15s  %s%n";
        out.printf(Locale.ROOT, row, "ID", "NAME", "KEY", "STATE AND SCOPES");
        for (ApiClient client : clients) {
            out.printf(Locale.ROOT, row, client.id(), client.name(),
                    client.keyShown() == null ? "(none)" : client.keyShown() + "...", state(client));
        }
    }

    private static String state(ApiClient client) {
        String scopes = client.scopes().isEmpty() ? "no scopes" : Scope.format(client.scopes());
        if (client.revokedAt() != null) {
            return "revoked " + client.revokedAt().truncatedTo(ChronoUnit.SECONDS) + "; " + scopes;
        }
        if (client.keyShown() == null) {
            return "no key; " + scopes;
        }
        return "active; " + scopes;
    }

    private static void revoke(ApiClients clients, String id, long cacheSeconds, PrintStream out) {
        UUID clientId;
        try {
            clientId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + id + "\" is not a client id; `clients list` shows them");
        }
        Optional<ApiClient> revoked = clients.revoke(clientId);
        ApiClient client = revoked.orElseThrow(() -> new IllegalArgumentException("no client has the id " + id));
        out.println("Revoked API client " + client.id() + " \"" + client.name() + "\" on "
                + client.revokedAt().truncatedTo(ChronoUnit.SECONDS) + ". Its key stops working on every instance "
                + "within " + cacheSeconds + " s (access.keyCacheTtl).");
    }
}
