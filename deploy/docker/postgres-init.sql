-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as
-- POSTGRES_USER, who therefore owns them: one database per service, so each service's event
-- log and read-model tables stay its own.
CREATE DATABASE roster;
CREATE DATABASE consent;
CREATE DATABASE disclosure;
