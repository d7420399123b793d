package bank.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import bank.money.Money;
import bank.transfers.TransferRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestHashesTest {

    private static final UUID FROM = UUID.fromString("01a21f42-3642-760e-8c9f-0435da190bc4");
    private static final UUID TO = UUID.fromString("01a21f42-3663-767f-91c9-6978d401d751");

    private final RequestHashes hashes = new RequestHashes(new ObjectMapper());

    @Test
    void theSameRequestHasTheSameFingerprint() {
        String hash = hashes.of("POST /v1/transfers", new TransferRequest(FROM, TO, Money.of(100), "rent"));

        assertThat(hashes.of("POST /v1/transfers", new TransferRequest(FROM, TO, Money.of(100), "rent"))).isEqualTo(hash);
        assertThat(hash).matches("[0-9a-f]{64}");
    }

    @Test
    void anotherBodyOrAnotherOperationIsAnotherFingerprint() {
        String hash = hashes.of("POST /v1/transfers", new TransferRequest(FROM, TO, Money.of(100), "rent"));

        assertThat(hashes.of("POST /v1/transfers", new TransferRequest(FROM, TO, Money.of(101), "rent"))).isNotEqualTo(hash);
        assertThat(hashes.of("POST /v1/transfers", new TransferRequest(TO, FROM, Money.of(100), "rent"))).isNotEqualTo(hash);
        assertThat(hashes.of("POST /v1/transfers", new TransferRequest(FROM, TO, Money.of(100), null))).isNotEqualTo(hash);
        assertThat(hashes.of("POST /v1/accounts/" + FROM + "/transactions",
                new TransferRequest(FROM, TO, Money.of(100), "rent"))).isNotEqualTo(hash);
    }
}
