-- Run once by the municipality's postgres (docker-entrypoint-initdb.d) on an empty data volume, as
-- POSTGRES_USER, who therefore owns them: one database per municipality service, so each service's
-- event log and read-model tables stay its own. The welfare area's receipts has its own server
-- (welfare-area-postgres in docker-compose.yml), whose image creates its one database.
CREATE DATABASE roster;
CREATE DATABASE consent;
CREATE DATABASE disclosure;
