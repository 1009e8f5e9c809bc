package main

import (
	"context"
	"fmt"

	"github.com/cambista/cambista/demo"
)

// Demo fills an empty database with a week of sample business.
func (m *Main) Demo(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if _, err := m.Store.Migrate(ctx); err != nil {
		return m.fail(err)
	}
	if err := demo.Seed(ctx, m.Config.DB, m.Config.Bootstrap); err != nil {
		return m.fail(err)
	}
	fmt.Fprintln(m.Stdout, "demo business created: run cambista serve and log in with the link it prints")
	return 0
}

// seedDemo plays the demo week into the database if it is empty, and
// leaves a database with a business alone.
func (m *Main) seedDemo(ctx context.Context) error {
	empty, err := demo.Empty(ctx, m.Store)
	if err != nil || !empty {
		return err
	}
	m.Log.Info("filling the empty database with a week of sample business (CAMBISTA_DEMO)")
	return demo.Seed(ctx, m.Config.DB, m.Config.Bootstrap)
}
