package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrate brings the schema to the newest version and returns the versions
// it applied. On PostgreSQL it takes an advisory lock first, so replicas
// starting together migrate once.
func (s *Store) Migrate(ctx context.Context) ([]int64, error) {
	p, err := s.migrations()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []int64
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// ErrSchemaBehind means the database needs "cambista migrate".
var ErrSchemaBehind = errors.New("the database schema is not up to date: run cambista migrate")

// CheckSchema returns ErrSchemaBehind unless every migration is applied.
func (s *Store) CheckSchema(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if pending {
		return ErrSchemaBehind
	}
	return nil
}

func (s *Store) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationsFS, s.dialect.migrations)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if s.dialect == postgresDialect {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(s.dialect.goose, s.db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}
