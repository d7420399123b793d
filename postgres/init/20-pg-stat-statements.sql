-- Runs once, after 10-roles.sql, when the postgres container initialises an empty data volume.
--
-- pg_stat_statements: execution statistics of every normalised statement (constants replaced by $1), shown
-- by the Top statements panel of the database dashboard. The library must be loaded at server start
-- (compose's postgres command sets shared_preload_libraries); the view exists in the databases that create
-- the extension, which takes a superuser. Where the user running this is none (the end-to-end suite), the
-- extension comes from template1 instead (.ci/run creates it there), and only the grant below is needed.
SELECT rolsuper AS is_superuser FROM pg_roles WHERE rolname = current_user \gset
\if :is_superuser
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
\endif

-- Without pg_read_all_stats, Grafana's role would see other users' statements as "<insufficient privilege>".
-- Statement texts carry $1 placeholders, never the values a statement was run with; utility statements, which
-- are kept as written, are not tracked (compose: pg_stat_statements.track_utility=off) nor shown by the panel.
GRANT pg_read_all_stats TO grafana_reader;
