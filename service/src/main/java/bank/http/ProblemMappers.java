package bank.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@code application/problem+json} response. Details shown to clients are written
 * here, never copied from an exception, so no stack trace, SQL, class name or echoed input reaches them.
 */
public final class ProblemMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMappers.class);

    private ProblemMappers() {
    }

    public static List<Object> all() {
        return List.of(new Api(), new Json(), new Violations(), new Web(), new Unexpected());
    }

    static Response validation(List<Problem.FieldError> errors) {
        ProblemType type = ProblemType.VALIDATION_FAILED;
        return new Problem(type.uri(), type.title(), type.status(), "The request has invalid fields.", errors)
                .toResponse();
    }

    static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return e.problem().toResponse();
        }
    }

    /** Body parsing: broken JSON is 400; well-formed JSON with a wrong type or an unknown field is 422. */
    static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            String field = e instanceof JsonMappingException mapping ? pathOf(mapping)
                    : e instanceof InputCoercionException coercion ? fieldOf(coercion) : "";
            if (causes(e).anyMatch(InputCoercionException.class::isInstance)) {
                return validation(List.of(new Problem.FieldError(field, "must fit in a signed 64-bit integer")));
            }
            if (e instanceof JsonParseException && e.getOriginalMessage().startsWith("Duplicate field")) {
                return ProblemType.MALFORMED_REQUEST.problem("The request body names a field twice.").toResponse();
            }
            if (!(e instanceof JsonMappingException) || field.isEmpty()) {
                return ProblemType.MALFORMED_REQUEST.problem(e instanceof JsonMappingException
                        ? "The request body must be a JSON object." : "The request body is not valid JSON.").toResponse();
            }
            if (e instanceof UnrecognizedPropertyException) {
                return validation(List.of(new Problem.FieldError(field, "is not a known field")));
            }
            if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException reason) {
                return validation(List.of(new Problem.FieldError(field, reason.getMessage())));
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                return validation(List.of(new Problem.FieldError(field, expected(mismatch))));
            }
            return validation(List.of(new Problem.FieldError(field, "has an invalid value")));
        }

        private static String expected(MismatchedInputException e) {
            Class<?> target = e.getTargetType();
            if (target.isEnum()) {
                return "must be one of " + Arrays.stream(target.getEnumConstants())
                        .map(Object::toString).collect(Collectors.joining(", "));
            }
            if (target == long.class || target == Long.class || target == int.class || target == Integer.class
                    || target.getSimpleName().equals("Money")) {
                return "must be an integer";
            }
            if (target == UUID.class) {
                return "must be a UUID";
            }
            if (target == java.util.Currency.class) {
                return "must be an ISO 4217 currency code";
            }
            if (target == String.class) {
                return "must be a string";
            }
            return "has an invalid value";
        }

        private static String fieldOf(InputCoercionException e) {
            JsonParser parser = e.getProcessor();
            if (parser == null) {
                return "";
            }
            try {
                String name = parser.currentName();
                return name == null ? "" : name;
            } catch (java.io.IOException | RuntimeException unreadable) {
                return "";
            }
        }

        private static String pathOf(JsonMappingException e) {
            return e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
    }

    /** Bean Validation on request bodies. A missing body is malformed rather than invalid. */
    static final class Violations implements ExceptionMapper<JerseyViolationException> {
        @Override
        public Response toResponse(JerseyViolationException e) {
            List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                    .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                    .toList();
            if (errors.stream().anyMatch(error -> error.field().isEmpty())) {
                return ProblemType.MALFORMED_REQUEST.problem("A JSON request body is required.").toResponse();
            }
            return validation(errors);
        }

        private static String fieldOf(ConstraintViolation<?> violation) {
            Set<ElementKind> skipped = Set.of(ElementKind.METHOD, ElementKind.PARAMETER, ElementKind.RETURN_VALUE);
            return StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
                    .filter(node -> !skipped.contains(node.getKind()))
                    .map(Path.Node::getName)
                    .collect(Collectors.joining("."));
        }
    }

    /** Routing and content negotiation failures raised by Jersey itself (404, 405, 406, 415). */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            Problem problem = ProblemStatus.of(original.getStatus());
            Response.ResponseBuilder response = Response.fromResponse(problem.toResponse());
            String allow = original.getHeaderString(HttpHeaders.ALLOW);
            if (allow != null) {
                response.header(HttpHeaders.ALLOW, allow);
            }
            return response.build();
        }
    }

    /**
     * Anything else. Database outages and timeouts are 503 with Retry-After. The failure may have come after the
     * COMMIT reached the database, so the outcome is unknown; the retry with the same Idempotency-Key is what
     * makes that safe. The rest is a 500; its request id is the trace id, which the server log line carries too.
     */
    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            Optional<Integer> refused = readFailureStatus(e);
            if (refused.isPresent()) {
                return ProblemStatus.of(refused.get()).toResponse();
            }
            if (isDatabaseUnavailable(e)) {
                LOG.warn("database unavailable, sqlstate={}", sqlStateOf(e));
                return Response.fromResponse(ProblemType.SERVICE_UNAVAILABLE
                                .problem("The service is temporarily unavailable and the outcome of this request is "
                                        + "unknown. Retry it with the same Idempotency-Key: that is safe, as a request "
                                        + "takes effect at most once per key.")
                                .toResponse())
                        .header(HttpHeaders.RETRY_AFTER, "1").build();
            }
            LOG.error("unhandled error", e);
            return ProblemType.INTERNAL_ERROR.problem("The request could not be completed. Quote its Request-Id ("
                    + RequestId.current() + ") to support.").toResponse();
        }
    }

    /**
     * Reading the request body failed for a reason the client caused: Jetty reports a body cut short or badly
     * chunked (400), one that arrives too slowly (408) or one over the size limit (413) as an exception with an
     * HTTP status, a body that stopped arriving as a timeout, and one cut short as Jetty's EofException.
     */
    static Optional<Integer> readFailureStatus(Throwable e) {
        // A database connection that drops also ends in an EOF or a timeout: those are the server's, not the client's.
        if (causes(e).anyMatch(t -> t instanceof SQLException || t instanceof JdbiException)) {
            return Optional.empty();
        }
        Optional<Integer> status = causes(e).filter(HttpException.class::isInstance)
                .map(t -> ((HttpException) t).getCode())
                .filter(code -> code >= 400 && code < 500)
                .findFirst();
        if (status.isPresent()) {
            return status;
        }
        if (causes(e).anyMatch(TimeoutException.class::isInstance)) {
            return Optional.of(408);
        }
        return causes(e).anyMatch(EofException.class::isInstance) ? Optional.of(400) : Optional.empty();
    }

    private static String sqlStateOf(Throwable e) {
        return sqlStates(e).findFirst().orElse(e.getClass().getSimpleName());
    }

    /**
     * Connection failures (SQLSTATE class 08), statement and lock timeouts (57014, 55P03), and an exhausted
     * pool are conditions a retry can outlive; constraint or syntax errors are bugs and stay 500s.
     */
    public static boolean isDatabaseUnavailable(Throwable e) {
        return causes(e).anyMatch(t -> t instanceof ConnectionException || t instanceof SQLTransientException)
                || sqlStates(e).anyMatch(state -> state.startsWith("08") || state.equals("57014")
                        || state.equals("55P03") || state.equals("57P01") || state.equals("53300"));
    }

    /** The exception and its causes, outermost first. */
    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause);
    }

    private static Stream<String> sqlStates(Throwable e) {
        return causes(e).filter(SQLException.class::isInstance)
                .map(t -> ((SQLException) t).getSQLState())
                .filter(Objects::nonNull);
    }
}
