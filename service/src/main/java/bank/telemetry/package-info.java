/**
 * Business metrics through the OpenTelemetry API (the Java agent exports them), and routes of their own for the
 * admin port's health checks.
 *
 * <p>Every attribute has a small fixed set of values: no account ids, names, amounts or keys become labels.
 */
package bank.telemetry;
