-- Must FAIL the T-SQL check: proves the checker rejects other dialects (see .ci/run).
SELECT id FROM recognitions ORDER BY id LIMIT 5
