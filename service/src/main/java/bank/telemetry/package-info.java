/**
 * Business metrics through the OpenTelemetry API (the Java agent exports them), routes of their own for the
 * admin port's health checks, and the route of a request refused before its resource method runs.
 *
 * <p>Every attribute has a small fixed set of values: no account ids, names, amounts or keys become labels.
 */
package bank.telemetry;
