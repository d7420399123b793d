/**
 * The OpenAPI document, generated from the resources' annotations, and Swagger UI over it.
 *
 * <p>The document describes exactly the routes Jersey serves, with the problem responses of each.
 */
package bank.docs;
