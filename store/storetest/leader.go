package storetest

import (
	"database/sql"
	"net/url"
	"testing"

	"github.com/cambista/cambista/store"
)

// LeaderSession returns the process ID of the PostgreSQL session that
// holds role's lock (store.Store.Lead) in the schema of dsn, a
// PostgresSchema URL, or 0 when none holds it. A test ends that session
// with pg_terminate_backend, as a database restart would.
func LeaderSession(tb testing.TB, db *sql.DB, dsn, role string) int {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	// A bigint advisory lock shows in pg_locks as its high and low halves.
	key := uint64(store.LockKey(u.Query().Get("search_path"), role))
	var pid int
	if err := db.QueryRow(`SELECT COALESCE(MAX(pid), 0) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`, int64(key>>32), int64(key&0xffffffff)).Scan(&pid); err != nil {
		tb.Fatal(err)
	}
	return pid
}
