package bank.db;

import bank.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/** Reads the bank's column types from a result set, for the DAOs' row mappers. */
public final class Columns {

    private Columns() {
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    public static Money money(ResultSet rs, String column) throws SQLException {
        return Money.of(rs.getLong(column));
    }

    public static Currency currency(ResultSet rs, String column) throws SQLException {
        return Currency.getInstance(rs.getString(column));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
