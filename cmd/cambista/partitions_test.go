package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista/store/storetest"
)

// TestServeOnPostgres: serve on PostgreSQL has the partitions of the
// current month and the next two ready when it starts serving, and with
// CAMBISTA_DB_READ its /metrics measure the read replica (here a URL naming
// the primary itself, which is read as a replica that lags nothing).
func TestServeOnPostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	vars := map[string]string{"CAMBISTA_DB": dsn, "CAMBISTA_DB_READ": dsn, "CAMBISTA_DISCORD_TOKEN": ""}
	serve(t, vars, func(base string) {
		db := open(t, dsn)
		now := time.Now().UTC()
		month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		for i := range partitionsAhead + 1 {
			for _, table := range []string{"postings", "audit_events"} {
				name := table + "_" + month.AddDate(0, i, 0).Format("2006_01")
				var n int
				if err := db.QueryRow(`SELECT COUNT(*) FROM pg_inherits WHERE inhparent = $1::regclass AND inhrelid = $2::regclass`, table, name).Scan(&n); err != nil || n != 1 {
					t.Errorf("%s is not a partition of %s: %d, %v", name, table, n, err)
				}
			}
		}
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, line := range []string{"\ncambista_db_replica_up 1\n", "\ncambista_db_replica_lag_seconds 0\n"} {
			if !strings.Contains(string(body), line) {
				t.Errorf("/metrics lacks %q", strings.TrimSpace(line))
			}
		}
	})
}
