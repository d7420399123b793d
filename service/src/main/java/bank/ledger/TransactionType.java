package bank.ledger;

public enum TransactionType {
    CREDIT, DEBIT
}
