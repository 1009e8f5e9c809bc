package app_test

import (
	"context"
	"testing"

	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestHasBusiness: a fresh install has no business until a currency is
// defined.
func TestHasBusiness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		if has := apptest.Must(e.Svc.HasBusiness(ctx)); has {
			t.Fatal("a fresh install has a business")
		}
		e.seedCatalog()
		if has := apptest.Must(e.Svc.HasBusiness(ctx)); !has {
			t.Fatal("a business with currencies has none")
		}
	})
}
