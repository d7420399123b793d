-- Runs once, when the postgres container initialises an empty data volume, as the bank user in the
-- bank database. Passwords come from the container environment (psql \getenv, PostgreSQL 15+).

\set ON_ERROR_STOP on
\getenv grafana_reader_password GRAFANA_READER_PASSWORD
\getenv postgres_exporter_password POSTGRES_EXPORTER_PASSWORD

-- Grafana's PostgreSQL datasource: read-only, and unable to hold the database hostage with a slow panel.
CREATE ROLE grafana_reader LOGIN PASSWORD :'grafana_reader_password';
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
ALTER ROLE grafana_reader SET statement_timeout = '10s';
GRANT CONNECT ON DATABASE bank TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO grafana_reader;
-- The service creates its tables later (migrations on start); they become readable as they appear.
ALTER DEFAULT PRIVILEGES FOR ROLE bank IN SCHEMA public GRANT SELECT ON TABLES TO grafana_reader;

-- postgres_exporter: server statistics only, no access to the bank's tables.
CREATE ROLE postgres_exporter LOGIN PASSWORD :'postgres_exporter_password';
GRANT pg_monitor TO postgres_exporter;
