package store

import (
	"database/sql"
	"errors"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect struct {
	name         string
	goose        goose.Dialect
	migrations   string // folder in migrationsFS
	maxConns     int
	singleWriter bool
	// pipeline runs transactions through a pipe (pipe.go) rather than
	// database/sql's Tx.
	pipeline bool
	// forUpdate is appended to a SELECT that must lock the rows it reads
	// until the transaction ends. SQLite needs nothing: its writer holds the
	// database from BEGIN IMMEDIATE on.
	forUpdate string
	open      func(dsn string) (*sql.DB, error)
	retryable func(error) bool
}

var sqliteDialect = &dialect{
	name:         "sqlite",
	goose:        goose.DialectSQLite3,
	migrations:   "migrations/sqlite",
	maxConns:     8,
	singleWriter: true,
	open: func(path string) (*sql.DB, error) {
		// Writers begin IMMEDIATE, so a transaction never fails half-way
		// when upgrading from reader to writer; WAL lets readers run beside
		// the writer; NORMAL sync is durable across application crashes and
		// loses at most the last commits on power loss, the usual WAL choice.
		q := url.Values{}
		q.Set("_txlock", "immediate")
		q.Set("_busy_timeout", "10000")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_foreign_keys", "1")
		// Each writer of a group commit runs in a savepoint, whose journal
		// of the pages it changes would otherwise spill to a temporary file
		// past 64 KiB: a file created, written and removed per transaction.
		q.Add("_pragma", "temp_store(memory)")
		path = strings.TrimPrefix(path, "file:")
		return sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	},
	retryable: func(err error) bool {
		var e *sqlite.Error
		if errors.As(err, &e) {
			switch e.Code() & 0xff {
			case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
				return true
			}
		}
		return false
	},
}

var postgresDialect = &dialect{
	name:       "postgres",
	goose:      goose.DialectPostgres,
	migrations: "migrations/postgres",
	maxConns:   16,
	pipeline:   true,
	forUpdate:  " FOR UPDATE",
	open: func(dsn string) (*sql.DB, error) {
		return sql.Open("pgx", dsn)
	},
	retryable: func(err error) bool {
		var e *pgconn.PgError
		if errors.As(err, &e) {
			switch e.Code {
			case "40001", "40P01": // serialization_failure, deadlock_detected
				return true
			}
		}
		return false
	},
}

// uniqueViolation reports whether err is a unique-constraint violation.
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// checkFailed reports whether err is cambista_check's refusal
// (PostgreSQL).
func checkFailed(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "CB001"
}

// checkViolation reports whether err is a CHECK constraint violation.
func checkViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23514"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_CHECK
	}
	return false
}
