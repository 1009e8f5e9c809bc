package app_test

import (
	"fmt"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestNotionRows: a change to an entity whose Notion database is
// configured writes a notion row, ordered by the entity; others write none.
func TestNotionRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		rows := func() []string {
			t.Helper()
			rs, err := s.DB().Query(`SELECT payload, subject FROM outbox WHERE kind = $1 ORDER BY id`, app.KindNotion)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			var out []string
			for rs.Next() {
				var p, subject string
				if err := rs.Scan(&p, &subject); err != nil {
					t.Fatal(err)
				}
				out = append(out, p+" "+subject)
			}
			return out
		}
		apptest.Must(e.Svc.RequestAccount(e.As(client), "", "USD"))
		if got := rows(); len(got) != 0 {
			t.Fatalf("Notion off, rows %v", got)
		}
		mirrored := app.New(s, app.Config{Bootstrap: []cambista.UserID{apptest.Boot}, Notion: map[string]bool{"account": true}})
		acct := apptest.Must(mirrored.RequestAccount(e.As(agent), "", "USD"))
		apptest.Must(mirrored.DecideAccount(e.As(apptest.Boot), "", app.Decision{ID: acct.ID, Approve: true}))
		b := apptest.Must(mirrored.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "10", CostRate: "41"}))
		apptest.Must(mirrored.CloseBatch(e.As(cashier), "", b.ID)) // batches are not mirrored here
		want := fmt.Sprintf(`{"entity":"account","id":%d} notion:account:%d`, acct.ID, acct.ID)
		if got := rows(); len(got) != 2 || got[0] != want || got[1] != want {
			t.Fatalf("rows %v, want twice %s", got, want)
		}
	})
}
