package bank.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;

public enum TransactionType {
    CREDIT, DEBIT;

    /** Exact names only: "credit" is refused rather than guessed at, as the OpenAPI enum promises. */
    @JsonCreator
    public static TransactionType of(String name) {
        for (TransactionType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("must be one of CREDIT, DEBIT");
    }
}
