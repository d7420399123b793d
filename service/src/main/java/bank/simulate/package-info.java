/**
 * The {@code simulate} command: a population of simulated customers that keeps a running API busy.
 *
 * <p>Talks to the API over HTTP only, like any client: every POST carries an Idempotency-Key of its own, reused
 * for its retries.
 */
package bank.simulate;
