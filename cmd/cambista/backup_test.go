package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cambista/cambista/store/storetest"
)

// TestBackupRestore backs up a serving SQLite database with the sample
// business, restores the copy elsewhere and over a database, and checks
// each restored copy with audit verify and ledger check; a tampered copy
// is refused and changes nothing.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"CAMBISTA_DB": filepath.Join(dir, "live.db"), "CAMBISTA_DEMO": "true"}
	backup := filepath.Join(dir, "backup.db")
	serve(t, vars, func(string) {
		if code, out, stderr := cli(t, vars, "backup", backup); code != 0 || !strings.Contains(out, "backed up") {
			t.Fatalf("backup while serving: %d %s %s", code, out, stderr)
		}
	})
	if code, _, stderr := cli(t, vars, "backup", backup); code != 1 || !strings.Contains(stderr, "exists") {
		t.Fatalf("backup over a file: %d %s", code, stderr)
	}
	_, live, _ := cli(t, vars, "audit", "verify")

	restored := map[string]string{"CAMBISTA_DB": filepath.Join(dir, "restored.db")}
	if code, out, stderr := cli(t, restored, "restore", backup); code != 0 || !strings.Contains(out, "ledger ok") {
		t.Fatalf("restore: %d %s %s", code, out, stderr)
	}
	if code, out, _ := cli(t, restored, "audit", "verify"); code != 0 || out != live {
		t.Fatalf("audit verify of the restored copy: %d %q, live %q", code, out, live)
	}
	if code, out, _ := cli(t, restored, "ledger", "check"); code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Fatalf("ledger check of the restored copy: %d %s", code, out)
	}
	// Over a database: it is kept aside.
	if code, out, stderr := cli(t, restored, "restore", backup); code != 0 || !strings.Contains(out, "kept as") {
		t.Fatalf("restore over a database: %d %s %s", code, out, stderr)
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, "restored.db.replaced-*")); len(kept) != 1 {
		t.Fatalf("replaced databases kept: %v", kept)
	}

	// A copy whose audit chain was tampered with is refused.
	db := open(t, backup)
	if _, err := db.Exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, _, stderr := cli(t, restored, "restore", backup); code != 1 || !strings.Contains(stderr, "not a sound cambista database") {
		t.Fatalf("restore of a tampered copy: %d %s", code, stderr)
	}
	if code, out, _ := cli(t, restored, "audit", "verify"); code != 0 || out != live {
		t.Fatalf("the database after a refused restore: %d %q", code, out)
	}
	if code, _, stderr := cli(t, restored, "restore"); code != 2 || !strings.Contains(stderr, "name one file") {
		t.Fatalf("restore without a file: %d %s", code, stderr)
	}
}

// TestBackupPostgres: PostgreSQL is backed up with its own tools, and
// the command says so.
func TestBackupPostgres(t *testing.T) {
	if !storetest.HavePostgres() {
		t.Skipf("PostgreSQL skipped: set %s", storetest.PostgresEnv)
	}
	vars := map[string]string{"CAMBISTA_DB": storetest.PostgresSchema(t)}
	cli(t, vars, "migrate")
	for _, cmd := range []string{"backup", "restore"} {
		if code, _, stderr := cli(t, vars, cmd, filepath.Join(t.TempDir(), "x")); code != 1 || !strings.Contains(stderr, "pg_dump") {
			t.Errorf("%s on PostgreSQL: %d %s", cmd, code, stderr)
		}
	}
}
