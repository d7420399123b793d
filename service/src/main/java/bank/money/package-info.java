/**
 * {@link bank.money.Money}: an amount in integer minor units of a currency, never negative, whose arithmetic
 * fails rather than overflow.
 *
 * <p>Imports no feature package.
 */
package bank.money;
