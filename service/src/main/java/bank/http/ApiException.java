package bank.http;

import java.util.List;

/**
 * A request the API refuses for a reason the client can act on. It carries the problem document to send, and
 * nothing about the server's internals.
 */
public class ApiException extends RuntimeException {

    private final Problem problem;

    public ApiException(ProblemType type, String detail) {
        this(type.problem(detail));
    }

    public ApiException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public static ApiException invalid(String field, String message) {
        ProblemType type = ProblemType.VALIDATION_FAILED;
        return new ApiException(new Problem(type.uri(), type.title(), type.status(),
                "The request has invalid fields.", List.of(new Problem.FieldError(field, message))));
    }

    /** @param what the kind of resource, e.g. "account"; the id is left out so no client input is echoed */
    public static ApiException notFound(String what) {
        return new ApiException(ProblemType.NOT_FOUND, "No " + what + " with this id exists.");
    }

    public Problem problem() {
        return problem;
    }
}
