// Package storetest opens real databases for tests — SQLite in a temporary
// directory always, PostgreSQL when CAMBISTA_TEST_POSTGRES_URL is set, each
// test in a schema of its own — and holds the contract suite that every
// store dialect must pass.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cambista/cambista/store"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// PostgresEnv names the variable that points tests at a PostgreSQL server.
const PostgresEnv = "CAMBISTA_TEST_POSTGRES_URL"

// Dialects are the databases Each runs on.
var Dialects = []string{"sqlite", "postgres"}

// Each runs fn as a subtest against every database available, each with a
// freshly migrated store that checks how transactions prefetch
// (store.Options.CheckPrefetch). PostgreSQL is skipped, visibly, when
// CAMBISTA_TEST_POSTGRES_URL is unset.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d, store.Options{CheckPrefetch: true}))
		})
	}
}

// Open returns a migrated store of the given dialect that is removed when
// the test ends.
func Open(tb testing.TB, dialect string, opts store.Options) *store.Store {
	tb.Helper()
	s := OpenEmpty(tb, dialect, opts)
	if _, err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}

// OpenEmpty returns a store of the given dialect on a database without a
// schema, removed when the test ends: a test of a migration brings it to
// the version before.
func OpenEmpty(tb testing.TB, dialect string, opts store.Options) *store.Store {
	tb.Helper()
	var dsn string
	switch dialect {
	case "sqlite":
		dsn = filepath.Join(tb.TempDir(), "cambista.db")
	case "postgres":
		dsn = PostgresSchema(tb)
	default:
		tb.Fatalf("unknown dialect %q", dialect)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// HavePostgres reports whether CAMBISTA_TEST_POSTGRES_URL is set.
func HavePostgres() bool { return os.Getenv(PostgresEnv) != "" }

// PostgresSchema creates a schema of its own for the test and returns a URL
// whose connections use it; the schema is dropped when the test ends. It
// skips the test when CAMBISTA_TEST_POSTGRES_URL is unset.
func PostgresSchema(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresEnv)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema on %s: %v", PostgresEnv, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
