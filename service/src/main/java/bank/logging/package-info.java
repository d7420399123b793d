/**
 * The Loki log appender ({@code type: loki}).
 *
 * <p>Logging never waits for Loki, and stream labels stay few and fixed; per-event values such as the trace id
 * go into structured metadata.
 */
package bank.logging;
