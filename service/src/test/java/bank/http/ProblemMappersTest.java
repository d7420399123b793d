package bank.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import bank.JsonSettings;
import bank.money.Money;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.JerseyViolationException;
import io.dropwizard.validation.BaseValidator;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each mapper, fed the exception the framework would hand it: the status, the problem {@code type} a client
 * switches on, the media type, and a body built from fixed text, with nothing of the exception or the input in it.
 */
class ProblemMappersTest {

    private static final ObjectMapper JSON = strictMapper();
    /** Words that would mean an exception leaked into a body: its class, its message or its stack trace. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "bank.", "jdbi", "SELECT", "sqlstate");

    enum Kind { CREDIT, DEBIT }

    record Body(UUID id, Money amount, Kind kind, String note, Long sequence) {
    }

    /** A resource method's body parameter, validated as Jersey validates one. */
    static final class Resource {
        @SuppressWarnings("unused")
        void open(@NotNull @Valid Named body) {
        }
    }

    record Named(@NotNull @Text(max = 5, blank = false) String name, @Text(max = 3) String note) {
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyProblemTypeIsTheKebabCasePathOfItsPageAndAnswersWithItsStatusAsProblemJson(ProblemType type) {
        Response response = type.problem("fixed").toResponse();

        assertThat(type.uri().toString()).matches("/problems/[a-z]+(-[a-z]+)*")
                .isEqualTo("/problems/" + type.name().toLowerCase().replace('_', '-'));
        assertThat(response.getStatus()).isEqualTo(type.status());
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(problem(response).title()).isEqualTo(type.title());
    }

    @Test
    void anApiExceptionSendsItsOwnProblem() {
        Response response = new ProblemMappers.Api().toResponse(
                new ApiException(ProblemType.INSUFFICIENT_FUNDS, "The account's balance is below the amount."));

        assertProblem(response, 422, "/problems/insufficient-funds");
        assertThat(problem(response).detail()).isEqualTo("The account's balance is below the amount.");
        assertThat(problem(response).errors()).isNull();
    }

    @Test
    void brokenJsonIsMalformed() {
        Response response = json("{\"amount\": 1");

        assertProblem(response, 400, "/problems/malformed-request");
        assertThat(problem(response).detail()).isEqualTo("The request body is not valid JSON.");
    }

    @Test
    void aFieldNamedTwiceIsMalformedNotTheLastValueWins() {
        Response response = json("{\"amount\":1,\"amount\":7}");

        assertProblem(response, 400, "/problems/malformed-request");
        assertThat(problem(response).detail()).isEqualTo("The request body names a field twice.");
    }

    @Test
    void aBodyThatIsNotAnObjectIsMalformed() {
        Response response = json("[1, 2]");

        assertProblem(response, 400, "/problems/malformed-request");
        assertThat(problem(response).detail()).isEqualTo("The request body must be a JSON object.");
    }

    @Test
    void aNumberBeyondSixtyFourBitsIsAFieldErrorNotAnOverflow() {
        Response number = json("{\"sequence\":9223372036854775808}");
        // Money has no creator for a number that large, so Jackson reports it as a mismatch, not as a coercion.
        Response amount = json("{\"amount\":9223372036854775808}");

        assertProblem(number, 422, "/problems/validation-failed");
        assertThat(problem(number).errors()).containsExactly(
                new Problem.FieldError("sequence", "must fit in a signed 64-bit integer"));
        assertProblem(amount, 422, "/problems/validation-failed");
        assertThat(problem(amount).errors()).containsExactly(new Problem.FieldError("amount", "must be an integer"));
    }

    @Test
    void aNegativeAmountCarriesMoneysOwnReason() {
        Response response = json("{\"amount\":-1}");

        assertProblem(response, 422, "/problems/validation-failed");
        assertThat(problem(response).errors()).containsExactly(new Problem.FieldError("amount", "must not be negative"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"amount\":\"100\"}  | amount | must be an integer",
            "{\"amount\":10.5}     | amount | must be an integer",
            "{\"id\":\"nope\"}     | id     | must be a UUID",
            "{\"kind\":\"REFUND\"} | kind   | must be one of CREDIT, DEBIT",
            "{\"note\":5}          | note   | must be a string",
            "{\"ammount\":5}       | ammount | is not a known field"})
    void aWrongTypeOrUnknownFieldNamesTheFieldAndWhatItMustBe(String body, String field, String message) {
        Response response = json(body);

        assertProblem(response, 422, "/problems/validation-failed");
        assertThat(problem(response).detail()).isEqualTo("The request has invalid fields.");
        assertThat(problem(response).errors()).containsExactly(new Problem.FieldError(field, message));
    }

    @Test
    void aLongUnknownFieldNameIsQuotedShortAndItsControlCharactersEscaped() throws Exception {
        String name = "\u0007" + "x".repeat(5_000);
        Response response = json("{\"" + name.replace("\u0007", "\\u0007") + "\":1}");

        assertProblem(response, 422, "/problems/validation-failed");
        String field = problem(response).errors().get(0).field();
        assertThat(field).isEqualTo("\\u0007" + "x".repeat(Problem.FieldError.MAX_FIELD_LENGTH - 1) + "...");
        assertThat(body(response)).hasSizeLessThan(400).doesNotContain("x".repeat(100));
    }

    @Test
    void invalidFieldsOfABodyAreListedSortedByFieldWithoutTheMethodOrParameterName() throws Exception {
        Response response = new ProblemMappers.Violations().toResponse(violations(new Named("   ", "toolong")));

        assertProblem(response, 422, "/problems/validation-failed");
        assertThat(problem(response).errors()).containsExactly(
                new Problem.FieldError("name", "must not be blank"),
                new Problem.FieldError("note", "must be at most 3 characters long"));
    }

    @Test
    void aMissingBodyIsMalformedNotInvalid() throws Exception {
        Response response = new ProblemMappers.Violations().toResponse(violations(null));

        assertProblem(response, 400, "/problems/malformed-request");
        assertThat(problem(response).detail()).isEqualTo("A JSON request body is required.");
    }

    @Test
    void jerseysOwnRefusalsBecomeTheirProblemTypesAndA405KeepsItsAllowHeader() {
        ProblemMappers.Web web = new ProblemMappers.Web();

        assertProblem(web.toResponse(new NotFoundException("/v1/accounts/secret-path")), 404, "/problems/not-found");
        assertThat(problem(web.toResponse(new NotFoundException("/v1/accounts/secret-path"))).detail())
                .isEqualTo("No resource matches this path.");
        Response notAllowed = web.toResponse(new NotAllowedException("GET", new String[] {"POST"}));
        assertProblem(notAllowed, 405, "/problems/method-not-allowed");
        assertThat(notAllowed.getHeaderString(HttpHeaders.ALLOW)).contains("GET").contains("POST");
        assertProblem(web.toResponse(new NotAcceptableException()), 406, "/problems/not-acceptable");
        assertProblem(web.toResponse(new NotSupportedException()), 415, "/problems/unsupported-media-type");
        assertThat(web.toResponse(new NotFoundException()).getHeaderString(HttpHeaders.ALLOW)).isNull();
    }

    @Test
    void aStatusWithoutAProblemTypeOfItsOwnGetsTheGenericTypeOfItsClass() {
        Response gateway = new ProblemMappers.Web().toResponse(new WebApplicationException(502));
        Response conflict = new ProblemMappers.Web().toResponse(new WebApplicationException(409));

        assertProblem(gateway, 502, "/problems/internal-error");
        assertThat(problem(gateway).title()).isEqualTo("Bad Gateway");
        assertThat(problem(gateway).detail()).isEqualTo("The request could not be completed.");
        assertProblem(conflict, 409, "/problems/malformed-request");
        assertThat(problem(conflict).title()).isEqualTo("Conflict");
        assertThat(problem(conflict).detail()).isEqualTo("The request was not understood.");
    }

    @Test
    void aBugIsA500WithTheRequestIdAndNothingOfTheException() throws Exception {
        RequestId id = RequestId.generated();
        RequestId.bind(id);
        Response response;
        try {
            response = new ProblemMappers.Unexpected().toResponse(
                    new IllegalStateException("SELECT secret FROM accounts WHERE name = 'Zebedee'"));
        } finally {
            RequestId.unbind();
        }

        assertProblem(response, 500, "/problems/internal-error");
        assertThat(problem(response).requestId()).isEqualTo(id.traceId());
        assertThat(problem(response).detail()).isEqualTo("The request could not be completed. Quote its Request-Id ("
                + id.traceId() + ") to support.");
        assertThat(body(response)).doesNotContain("Zebedee", "secret");
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"08006", "08001", "57014", "55P03", "57P01", "53300"})
    void aDatabaseThatIsDownOrTimedOutIsA503WithRetryAfter(String sqlState) throws Exception {
        Response response = new ProblemMappers.Unexpected().toResponse(new UnableToExecuteStatementException(
                new SQLException("FATAL: SELECT secret", sqlState), null));

        assertProblem(response, 503, "/problems/service-unavailable");
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(problem(response).detail()).contains("same Idempotency-Key");
    }

    @Test
    void anExhaustedPoolOrALostConnectionIsA503() {
        ProblemMappers.Unexpected unexpected = new ProblemMappers.Unexpected();

        assertProblem(unexpected.toResponse(new ConnectionException(new SQLTransientConnectionException("pool empty"))),
                503, "/problems/service-unavailable");
        assertProblem(unexpected.toResponse(new UncheckedIOException(new IOException(
                new SQLTransientConnectionException("timeout")))), 503, "/problems/service-unavailable");
    }

    @Test
    void aConstraintOrSyntaxErrorIsABugNotAnOutage() throws Exception {
        ProblemMappers.Unexpected unexpected = new ProblemMappers.Unexpected();

        Response unique = unexpected.toResponse(new UnableToExecuteStatementException(
                new SQLException("duplicate key", "23505"), null));
        Response syntax = unexpected.toResponse(new UnableToExecuteStatementException(
                new SQLException("syntax error", "42601"), null));

        assertProblem(unique, 500, "/problems/internal-error");
        assertProblem(syntax, 500, "/problems/internal-error");
        assertThat(body(unique)).doesNotContain("duplicate key");
    }

    @ParameterizedTest
    @CsvSource({"400, /problems/malformed-request", "408, /problems/request-timeout",
            "413, /problems/content-too-large", "431, /problems/headers-too-large"})
    void aBodyJettyRefusedWhileReadingKeepsJettysClientStatus(int code, String type) {
        Response response = new ProblemMappers.Unexpected().toResponse(
                new ProcessingException(new IOException(new HttpException.RuntimeException(code, "limit 65536"))));

        assertProblem(response, code, type);
    }

    @Test
    void aBodyThatStoppedArrivingIs408AndOneCutShortIs400() {
        ProblemMappers.Unexpected unexpected = new ProblemMappers.Unexpected();

        assertProblem(unexpected.toResponse(new ProcessingException(new IOException(new TimeoutException("idle")))),
                408, "/problems/request-timeout");
        assertProblem(unexpected.toResponse(new ProcessingException(new EofException("early EOF"))),
                400, "/problems/malformed-request");
        assertProblem(unexpected.toResponse(new HttpException.RuntimeException(500, "server side")),
                500, "/problems/internal-error");
    }

    @Test
    void anEndOfFileFromTheDatabaseConnectionIsTheServersOutageNotTheClientsBadRequest() {
        SQLException dropped = new SQLException("An I/O error occurred", "08006", new EofException("closed"));
        Response response = new ProblemMappers.Unexpected().toResponse(new UnableToExecuteStatementException(dropped, null));

        assertProblem(response, 503, "/problems/service-unavailable");
    }

    @ParameterizedTest
    @CsvSource({"400, /problems/malformed-request", "404, /problems/not-found",
            "405, /problems/method-not-allowed", "406, /problems/not-acceptable",
            "408, /problems/request-timeout", "413, /problems/content-too-large", "414, /problems/uri-too-long",
            "415, /problems/unsupported-media-type", "431, /problems/headers-too-large",
            "500, /problems/internal-error", "503, /problems/service-unavailable"})
    void aBareStatusGetsItsProblemType(int status, String type) {
        Problem problem = ProblemStatus.of(status);

        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.type()).hasToString(type);
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.getStatus()).as("status").isEqualTo(status);
        assertThat(response.getMediaType()).as("media type").hasToString("application/problem+json");
        Problem problem = problem(response);
        assertThat(problem.type()).as("problem type").hasToString(type);
        assertThat(problem.status()).as("status in the body").isEqualTo(status);
        try {
            assertThat(body(response)).as("body").doesNotContain(LEAKS);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Problem problem(Response response) {
        assertThat(response.getEntity()).isInstanceOf(Problem.class);
        return (Problem) response.getEntity();
    }

    private static String body(Response response) throws JsonProcessingException {
        return Jackson.newObjectMapper().writeValueAsString(response.getEntity());
    }

    /** Reads a request body with the service's JSON settings, and maps the exception that reading throws. */
    private static Response json(String body) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> JSON.readValue(body, Body.class));
        assertThat(e).as("reading " + body + " fails").isNotNull();
        return new ProblemMappers.Json().toResponse(e);
    }

    private static JerseyViolationException violations(Named body) throws NoSuchMethodException {
        Method open = Resource.class.getDeclaredMethod("open", Named.class);
        Set<ConstraintViolation<Resource>> violations = BaseValidator.newValidator().forExecutables()
                .validateParameters(new Resource(), open, new Object[] {body});
        assertThat(violations).isNotEmpty();
        return new JerseyViolationException(violations, null);
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = Jackson.newObjectMapper();
        JsonSettings.apply(mapper);
        return mapper;
    }
}
