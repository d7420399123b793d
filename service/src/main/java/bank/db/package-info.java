/**
 * The database: the Jdbi instance and its column types, schema migrations, time-ordered ids, the
 * {@link bank.db.UnitOfWork} in which every request that writes runs, and the start-up that waits for a database
 * not accepting connections yet ({@link bank.db.DatabaseStartup}).
 *
 * <p>Migrations are Liquibase changesets in {@code src/main/resources/db}; one that has been applied is never
 * edited, a change is a new changeset. Exception messages name statements, never their bound values.
 */
package bank.db;
