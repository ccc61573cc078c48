package io.sipai.gateway.db.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

import org.slf4j.LoggerFactory;

/**
 * The source of the pool's new connections: each opens with the login {@link CredentialsCache} holds, and when
 * PostgreSQL refuses it (SQLState 28P01 invalid password, 28000 invalid authorization) the login is read again
 * from its store and, if the store now holds another, the connection is tried once more with it. So a password
 * rotated in the store is picked up by the first new connection after it, without a restart; connections already
 * open are not affected (PostgreSQL checks a password only at login).
 *
 * <p>A refusal that a re-read does not cure fails the connection with an error naming the store (never the
 * password), logged once until a login succeeds again; the pool keeps trying, and a later attempt re-reads the
 * store again, so updating the store ends the outage without a restart.
 */
public final class RotatingCredentialsDataSource implements DataSource {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(RotatingCredentialsDataSource.class);

    private final Driver driver = new org.postgresql.Driver();
    private final String url;
    private final Properties connectionProperties;
    private final CredentialsCache credentials;
    private final AtomicBoolean refused = new AtomicBoolean();
    private volatile int loginTimeoutSec;

    /**
     * @param connectionProperties driver properties of every connection (timeouts), without user and password
     */
    public RotatingCredentialsDataSource(String url, Properties connectionProperties, CredentialsCache credentials) {
        this.url = url;
        this.connectionProperties = connectionProperties;
        this.credentials = credentials;
    }

    @Override
    public Connection getConnection() throws SQLException {
        DbCredentials login = credentials.current();
        try {
            return accepted(connect(login));
        } catch (SQLException e) {
            if (!loginRefused(e)) {
                throw e;
            }
            return afterRefusal(login, e);
        }
    }

    private Connection afterRefusal(DbCredentials login, SQLException refusal) throws SQLException {
        DbCredentials reread;
        try {
            reread = credentials.afterRefusal(login);
        } catch (IOException e) {
            throw stillRefused(login, refusal, "and cannot read it again: " + e.getMessage());
        }
        if (reread.equals(login)) {
            throw stillRefused(login, refusal, "which holds no other password now; update it to the role's "
                    + "current password (it is read again at most every few seconds)");
        }
        Connection connection;
        try {
            connection = connect(reread);
        } catch (SQLException again) {
            if (loginRefused(again)) {
                throw stillRefused(reread, again, "even after reading it again; update it to the role's current "
                        + "password");
            }
            throw again;
        }
        LOG.info("postgresql: the login from {} changed (user {}); new connections use the new one",
                credentials.describe(), reread.user());
        return accepted(connection);
    }

    private Connection accepted(Connection connection) {
        if (refused.getAndSet(false)) {
            LOG.info("postgresql: the login from {} is accepted again", credentials.describe());
        }
        return connection;
    }

    private SQLException stillRefused(DbCredentials login, SQLException refusal, String detail) {
        String message = "postgresql refused the login of user " + login.user() + " with the password from "
                + credentials.describe() + " (SQLState " + refusal.getSQLState() + ") " + detail;
        if (!refused.getAndSet(true)) {
            LOG.error("{}; new connections fail until it matches, open ones keep working", message);
        }
        return new SQLInvalidAuthorizationSpecException(message, refusal.getSQLState(), refusal);
    }

    private static boolean loginRefused(SQLException e) {
        return "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    private Connection connect(DbCredentials login) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(connectionProperties);
        properties.setProperty("user", login.user());
        properties.setProperty("password", login.password());
        if (loginTimeoutSec > 0) {
            properties.setProperty("loginTimeout", String.valueOf(loginTimeoutSec));
        }
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not take " + url, "08001");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the login comes from " + credentials.describe());
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // The driver logs through java.util.logging; no writer to keep.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSec = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSec;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
