/**
 * What every resource shares over HTTP: problem documents and their types, the mapping of every failure to one,
 * ids in paths, pagination and the request log line.
 *
 * <p>Imports no feature package, so that every feature can use it. A client never sees a stack trace, SQL or its
 * own input echoed back: problem details are written here, never copied from an exception.
 */
package bank.http;
