package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.http.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** The answers a keyed POST gives without running its work again. */
class IdempotentPostsTest {

    private static final StoredResponse CREATED =
            new StoredResponse("hash-1", 201, "/v1/transfers/t-1", "{\"id\":\"t-1\"}");
    private static final StoredResponse REFUSED = new StoredResponse("hash-1", 422, null,
            "{\"type\":\"/problems/insufficient-funds\",\"title\":\"Insufficient funds\",\"status\":422}");

    @Test
    void theSameRequestGetsItsStoredResponseReplayedAsItWasSent() {
        Response replay = IdempotentPosts.answerFor(CREATED, "hash-1");

        assertThat(replay.getStatus()).isEqualTo(201);
        assertThat(replay.getEntity()).isEqualTo(CREATED.body());
        assertThat(replay.getMediaType()).hasToString("application/json");
        assertThat(replay.getLocation()).hasToString("/v1/transfers/t-1");
        assertThat(replay.getHeaderString("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void aStoredRefusalIsReplayedAsAProblem() {
        Response replay = IdempotentPosts.answerFor(REFUSED, "hash-1");

        assertThat(replay.getStatus()).isEqualTo(422);
        assertThat(replay.getEntity()).isEqualTo(REFUSED.body());
        assertThat(replay.getMediaType()).isEqualTo(Problem.MEDIA);
        assertThat(replay.getLocation()).isNull();
        assertThat(replay.getHeaderString("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void anotherRequestWithTheSameKeyIsRefused() {
        Response refused = IdempotentPosts.answerFor(CREATED, "hash-2");

        assertThat(refused.getStatus()).isEqualTo(422);
        assertThat(((Problem) refused.getEntity()).type()).hasToString("/problems/idempotency-key-reused");
        assertThat(refused.getHeaderString("Idempotent-Replayed")).isNull();
    }

    @Test
    void aKeyHeldByAnotherRequestIsAConflictToRetryInASecond() {
        Response conflict = IdempotentPosts.inProgress();

        assertThat(conflict.getStatus()).isEqualTo(409);
        assertThat(((Problem) conflict.getEntity()).type()).hasToString("/problems/request-in-progress");
        assertThat(conflict.getHeaderString("Retry-After")).isEqualTo("1");
    }

    @Test
    void aFirstResponseCarriesNoReplayHeader() {
        assertThat(IdempotentPosts.toResponse(CREATED, false).getHeaderString("Idempotent-Replayed")).isNull();
    }
}
