/**
 * Access to the API: clients with secret keys, scopes and rate limits.
 *
 * <p>Owns the {@code api_clients} table, which holds each client's name, scopes and the SHA-256 of its key; never the
 * key, which {@link bank.access.ClientsCommand} prints once when it creates the client. Every operation under
 * {@code /v1} passes three filters before its resource runs ({@link bank.access.ApiAccessFeature}): the key
 * ({@code Authorization: Bearer}, 401), the client's token bucket (429) and the operation's scope (403). Which
 * accounts a client may see is a rule of the accounts feature, from the client this package hands it.
 *
 * <p>A key, or any part of it beyond what {@link bank.access.ApiKeys#shownPart} shows, never reaches a log line, a
 * span, a metric label or an error body; the client's id goes on spans and log lines, its name nowhere.
 */
package bank.access;
