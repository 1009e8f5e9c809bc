package main

import (
	"context"
	"fmt"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/demo"
	"github.com/cambista/cambista/store"
)

// Demo fills an empty database with a week of sample business.
func (m *Main) Demo(ctx context.Context) int {
	if err := m.open(ctx); err != nil {
		return m.fail(err)
	}
	if _, err := m.Store.Migrate(ctx); err != nil {
		return m.fail(err)
	}
	if err := m.playDemo(ctx); err != nil {
		return m.fail(err)
	}
	fmt.Fprintln(m.Stdout, "demo business created: run cambista serve --demo (it leaves a filled database as it is) and log in as the demo's superuser with the link it prints")
	return 0
}

// bootstrap returns the configured bootstrap superusers; with the demo and
// none configured, the demo's first superuser, so that whoever tries the
// demo gets a one-time login link for it.
func (m *Main) bootstrap() []cambista.UserID {
	if m.Config.Demo && len(m.Config.Bootstrap) == 0 {
		return demo.Superusers()[:1]
	}
	return m.Config.Bootstrap
}

// seedDemo plays the demo week into the database if it is empty, and
// leaves a database with a business alone.
func (m *Main) seedDemo(ctx context.Context) error {
	has, err := m.App.HasBusiness(ctx)
	if err != nil || has {
		return err
	}
	m.Log.Info("filling the empty database with a week of sample business (CAMBISTA_DEMO)")
	return m.playDemo(ctx)
}

// playDemo plays the demo week into the migrated database, through a store
// and a service of its own: the store's clock is the demo's, which starts a
// week ago and runs as the script says.
func (m *Main) playDemo(ctx context.Context) error {
	c := demo.NewClock()
	s, err := store.Open(ctx, m.Config.DB, store.Options{Now: c.Now})
	if err != nil {
		return err
	}
	defer s.Close()
	return demo.Seed(ctx, app.New(s, app.Config{Bootstrap: append(demo.Superusers(), m.Config.Bootstrap...)}), c)
}
