package bank;

import bank.access.AccessConfig;
import bank.http.HttpConfig;
import bank.idempotency.IdempotencyConfig;
import bank.ledger.LedgerAuditConfig;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

public class BankConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    /** Applies pending schema migrations before the server starts accepting requests. */
    private boolean migrateOnStart = true;

    /** How long start-up waits for a database that is not accepting connections yet before it gives up. */
    @NotNull
    private Duration databaseStartupTimeout = Duration.seconds(60);

    /** Serves the admin port's tasks (log levels, GC), which change the running service. */
    private boolean adminTasksEnabled = false;

    @Valid
    @NotNull
    private IdempotencyConfig idempotency = new IdempotencyConfig();

    @Valid
    @NotNull
    private HttpConfig http = new HttpConfig();

    @Valid
    @NotNull
    private LedgerAuditConfig ledgerAudit = new LedgerAuditConfig();

    @Valid
    @NotNull
    private AccessConfig access = new AccessConfig();

    @JsonProperty("database")
    public DataSourceFactory getDataSourceFactory() {
        return database;
    }

    @JsonProperty("database")
    public void setDataSourceFactory(DataSourceFactory database) {
        this.database = database;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    @JsonProperty
    public Duration getDatabaseStartupTimeout() {
        return databaseStartupTimeout;
    }

    @JsonProperty
    public void setDatabaseStartupTimeout(Duration databaseStartupTimeout) {
        this.databaseStartupTimeout = databaseStartupTimeout;
    }

    @JsonProperty
    public boolean isAdminTasksEnabled() {
        return adminTasksEnabled;
    }

    @JsonProperty
    public void setAdminTasksEnabled(boolean adminTasksEnabled) {
        this.adminTasksEnabled = adminTasksEnabled;
    }

    @JsonProperty
    public HttpConfig getHttp() {
        return http;
    }

    @JsonProperty
    public void setHttp(HttpConfig http) {
        this.http = http;
    }

    @JsonProperty
    public IdempotencyConfig getIdempotency() {
        return idempotency;
    }

    @JsonProperty
    public void setIdempotency(IdempotencyConfig idempotency) {
        this.idempotency = idempotency;
    }

    @JsonProperty
    public LedgerAuditConfig getLedgerAudit() {
        return ledgerAudit;
    }

    @JsonProperty
    public void setLedgerAudit(LedgerAuditConfig ledgerAudit) {
        this.ledgerAudit = ledgerAudit;
    }

    @JsonProperty
    public AccessConfig getAccess() {
        return access;
    }

    @JsonProperty
    public void setAccess(AccessConfig access) {
        this.access = access;
    }
}
