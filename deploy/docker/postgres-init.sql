-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as
-- POSTGRES_USER, who therefore owns them: one database per service, so each service's event
-- log and read-model tables stay its own. receipts is the welfare area's service: in a real
-- deployment it runs on the welfare area's own database server.
CREATE DATABASE roster;
CREATE DATABASE consent;
CREATE DATABASE disclosure;
CREATE DATABASE receipts;
