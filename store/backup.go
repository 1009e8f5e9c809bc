package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres says that a PostgreSQL database is backed up with its
// own tools.
var ErrBackupPostgres = errors.New("a PostgreSQL database is backed up with pg_dump and restored with pg_restore (see docs/operations.md)")

// Backup writes a consistent copy of the SQLite database to file, which
// must not exist, while the database serves: VACUUM INTO reads one
// snapshot, and writers go on meanwhile. The audit events committed before
// are sealed first, so the copy's chain is whole.
func (s *Store) Backup(ctx context.Context, file string) error {
	if s.dialect.name != "sqlite" {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("backup: %s exists; name a new file", file)
	}
	if _, err := s.Seal(ctx); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO $1`, file); err != nil {
		return fmt.Errorf("backup to %s: %w", file, err)
	}
	return nil
}
