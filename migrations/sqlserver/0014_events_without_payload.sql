-- The relay contract, settled: an event row names what happened (kind, subject, site, team) and nothing more. The relay
-- reads the current state of each subject when it sends, so the payload column ('{}' since the lean writes) goes.
ALTER TABLE events DROP COLUMN payload;
