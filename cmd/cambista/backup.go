package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
)

// Backup copies the SQLite database, online, to file.
func (m *Main) Backup(ctx context.Context, file string) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.Store.CheckSchema(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.Store.Backup(ctx, file); err != nil {
		return m.fail(err)
	}
	fmt.Fprintf(m.Stdout, "backed up to %s\n", file)
	return 0
}

// Restore replaces the SQLite database CAMBISTA_DB with the backup file,
// with the server stopped. The copy is checked before it takes the
// database's place (schema, audit chain, ledger); the database it
// replaces is kept beside it, renamed.
func (m *Main) Restore(ctx context.Context, file string) int {
	if store.IsPostgres(m.Config.DB) {
		return m.fail(store.ErrBackupPostgres)
	}
	target := m.Config.DB
	staged := target + ".restoring"
	if err := copyFile(file, staged); err != nil {
		return m.fail(fmt.Errorf("restore: %w", err))
	}
	defer os.Remove(staged)
	if err := checkCopy(ctx, m, staged); err != nil {
		return m.fail(fmt.Errorf("restore: %s is not a sound cambista database: %w", file, err))
	}
	if _, err := os.Stat(target); err == nil {
		kept := target + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(target, kept); err != nil {
			return m.fail(fmt.Errorf("restore: %w", err))
		}
		fmt.Fprintf(m.Stdout, "the database it replaces is kept as %s\n", kept)
	}
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return m.fail(fmt.Errorf("restore: %w", err))
		}
	}
	if err := os.Rename(staged, target); err != nil {
		return m.fail(fmt.Errorf("restore: %w", err))
	}
	fmt.Fprintf(m.Stdout, "restored %s from %s\n", target, file)
	return 0
}

// checkCopy opens the SQLite file and checks its schema, audit chain and
// ledger.
func checkCopy(ctx context.Context, m *Main, file string) error {
	s, err := store.Open(ctx, file, store.Options{Logger: m.Log})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.CheckSchema(ctx); err != nil {
		return err
	}
	n, err := app.VerifyAudit(ctx, s)
	if err != nil {
		return err
	}
	v, err := app.CheckLedger(ctx, s)
	if err != nil {
		return err
	}
	if len(v) > 0 {
		return fmt.Errorf("ledger: %d invariant violations, the first: %v", len(v), v[0])
	}
	fmt.Fprintf(m.Stdout, "checked the copy: %d audit events, ledger ok\n", n)
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
