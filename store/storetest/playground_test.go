package storetest_test

import (
	"context"
	"maps"
	"testing"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestPlaygroundItems: values are written, replaced, deleted by an empty
// value, and all cleared at once.
func TestPlaygroundItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		items := func() map[string]string {
			var out map[string]string
			mustTx(t, s, func(tx app.Tx) error {
				var err error
				out, err = tx.PlaygroundItems(ctx)
				return err
			})
			return out
		}
		mustTx(t, s, func(tx app.Tx) error {
			for k, v := range map[string]string{"guild": `{"a":1}`, "msg:1": "one", "msg:2": "two"} {
				if err := tx.PutPlaygroundItem(ctx, k, v); err != nil {
					return err
				}
			}
			return nil
		})
		mustTx(t, s, func(tx app.Tx) error {
			if err := tx.PutPlaygroundItem(ctx, "msg:1", "uno"); err != nil {
				return err
			}
			return tx.PutPlaygroundItem(ctx, "msg:2", "")
		})
		if got, want := items(), map[string]string{"guild": `{"a":1}`, "msg:1": "uno"}; !maps.Equal(got, want) {
			t.Fatalf("items %v, want %v", got, want)
		}
		mustTx(t, s, func(tx app.Tx) error { return tx.ClearPlayground(ctx) })
		if got := items(); len(got) != 0 {
			t.Fatalf("after clear: %v", got)
		}
	})
}
