-- A 110 MiB database built and updated in place (scenario real.sqlite3).
PRAGMA page_size=4096;
PRAGMA cache_size=-2000;
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
CREATE INDEX tk ON t(k);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 100000)
  INSERT INTO t SELECT i, (i*7919) % 100003, printf('%0300d', i) FROM c;
WITH RECURSIVE c(i) AS (SELECT 100001 UNION ALL SELECT i+1 FROM c WHERE i < 200000)
  INSERT INTO t SELECT i, (i*7919) % 100003, printf('%0300d', i) FROM c;
WITH RECURSIVE c(i) AS (SELECT 200001 UNION ALL SELECT i+1 FROM c WHERE i < 300000)
  INSERT INTO t SELECT i, (i*7919) % 100003, printf('%0300d', i) FROM c;
UPDATE t SET v = printf('%0300d', id*3) WHERE id % 7 = 0;
UPDATE t SET k = k + 1 WHERE id % 13 = 0;
DELETE FROM t WHERE id % 11 = 0;
WITH RECURSIVE c(i) AS (SELECT 300001 UNION ALL SELECT i+1 FROM c WHERE i < 330000)
  INSERT INTO t SELECT i, (i*31) % 1009, printf('%0300d', i*5) FROM c;
UPDATE t SET v = substr(v, 1, 150) WHERE id % 17 = 0;
PRAGMA integrity_check;
SELECT count(*), sum(k), sum(length(v)) FROM t;
.sha3sum
