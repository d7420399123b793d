package bank;

import bank.access.Access;
import bank.access.ClientsCommand;
import bank.accounts.AccountResource;
import bank.accounts.AccountService;
import bank.db.Database;
import bank.db.DatabaseStartup;
import bank.db.MigrateCommand;
import bank.db.UnitOfWork;
import bank.docs.ApiDocs;
import bank.http.HttpHardening;
import bank.http.ProblemMappers;
import bank.http.RequestLog;
import bank.http.UnannotatedEntityWriting;
import bank.http.UnreadBodies;
import bank.idempotency.IdempotencyKeyPurger;
import bank.idempotency.IdempotencyKeyStore;
import bank.idempotency.IdempotentPosts;
import bank.ledger.HistoryAliasResource;
import bank.ledger.LedgerAudit;
import bank.ledger.LedgerService;
import bank.ledger.TransactionResource;
import bank.logging.LogDrain;
import bank.logging.LogSafety;
import bank.simulate.SimulateCommand;
import bank.telemetry.AdminRoutes;
import bank.telemetry.AdminTasks;
import bank.telemetry.BankMetrics;
import bank.telemetry.RefusedRequestRoutes;
import bank.transfers.TransferResource;
import bank.transfers.TransferService;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.MigrationsBundle;
import io.opentelemetry.api.GlobalOpenTelemetry;
import org.jdbi.v3.core.Jdbi;

public class BankApplication extends Application<BankConfiguration> {

    public static void main(String[] args) throws Exception {
        new BankApplication().run(args);
    }

    /** A command failed (the server's start, a migration) and has logged why: that line is written before the exit. */
    @Override
    protected void onFatalError(Throwable t) {
        LogDrain.beforeExit();
        super.onFatalError(t);
    }

    @Override
    public String getName() {
        return "bank-api";
    }

    @Override
    public void initialize(Bootstrap<BankConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(BankConfiguration configuration) {
                return configuration.getDataSourceFactory();
            }

            @Override
            public String getMigrationsFileName() {
                return Database.CHANGELOG;
            }
        });
        ApiDocs.addAssets(bootstrap);
        bootstrap.addCommand(new SimulateCommand());
        bootstrap.addCommand(new ClientsCommand<>(BankConfiguration.class, BankConfiguration::getDataSourceFactory,
                BankConfiguration::getAccess));
        bootstrap.addCommand(new MigrateCommand<>(BankConfiguration.class, BankConfiguration::getDataSourceFactory,
                configuration -> configuration.getDatabaseStartupTimeout().toJavaDuration()));
    }

    @Override
    public void run(BankConfiguration config, Environment environment) throws Exception {
        LogSafety.apply();
        // Strict only from here on: the same mapper has already read config.yml, where "8080" must stay a port.
        JsonSettings.apply(environment.getObjectMapper());
        DataSourceFactory dataSourceFactory = config.getDataSourceFactory();
        ManagedDataSource dataSource = dataSourceFactory.build(environment.metrics(), "postgresql");
        DatabaseStartup.await(dataSourceFactory, dataSource, config.isMigrateOnStart(),
                config.getDatabaseStartupTimeout().toJavaDuration());
        Jdbi jdbi = Database.jdbi(environment, dataSourceFactory, dataSource);

        BankMetrics metrics = new BankMetrics();
        UnitOfWork unitOfWork = new UnitOfWork(jdbi);
        IdempotencyKeyStore idempotencyKeys = new IdempotencyKeyStore(jdbi,
                config.getIdempotency().getRetention().toJavaDuration());
        IdempotentPosts posts = new IdempotentPosts(idempotencyKeys, environment.getObjectMapper());
        AccountService accounts = new AccountService(jdbi, metrics);
        LedgerService ledger = new LedgerService(jdbi, accounts, metrics);
        TransferService transfers = new TransferService(jdbi, ledger, metrics);

        Access.register(environment, config.getAccess(), jdbi, dataSourceFactory, metrics);
        environment.jersey().register(new AccountResource(accounts, unitOfWork, posts));
        environment.jersey().register(new TransactionResource(ledger, unitOfWork, posts));
        environment.jersey().register(new HistoryAliasResource(ledger));
        environment.jersey().register(new TransferResource(transfers, unitOfWork, posts));
        ProblemMappers.all().forEach(environment.jersey()::register);
        environment.jersey().register(new RequestLog());
        environment.jersey().register(new UnannotatedEntityWriting());
        environment.jersey().register(new UnreadBodies());
        environment.jersey().register(new RefusedRequestRoutes());
        HttpHardening.apply(environment, config.getHttp());
        ApiDocs.register(environment, config.getIdempotency().getRetention());
        AdminRoutes.register(environment.admin());
        AdminTasks.configure(environment, config.isAdminTasksEnabled());

        environment.lifecycle().manage(new IdempotencyKeyPurger(idempotencyKeys,
                environment.lifecycle().scheduledExecutorService("idempotency-purge").threads(1).build(),
                config.getIdempotency()));
        environment.lifecycle().manage(new LedgerAudit(jdbi, config.getLedgerAudit(),
                environment.lifecycle().scheduledExecutorService("ledger-audit").threads(1).build(),
                GlobalOpenTelemetry.get()));
    }
}
