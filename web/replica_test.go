package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestPageAfterChangeReadsFresh runs the panel on a primary with a
// streaming read replica whose replay is paused: the batch page right after
// the superuser closed the batch (the redirect after the form) shows the
// statement's last entry, the capital returned, though the page's statement
// is a read the replica serves; the same page opened again reads the
// replica, which has not replayed the close.
func TestPageAfterChangeReadsFresh(t *testing.T) {
	pair := storetest.StartReplicated(t)
	ctx := context.Background()
	c := storetest.NewClock(time.Now().UTC().Truncate(time.Microsecond))
	// Commits wait for the replica to have them on disk, not applied, so
	// that they go on while its replay is paused.
	s, err := store.Open(ctx, pair.Primary+"&synchronous_commit=on", store.Options{Now: c.Now, ReadDSN: pair.Replica})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, s, c, nil)
	bt := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R1"}))
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	page := "/batches/" + itoa(bt.ID)
	returned := es(cambista.BatchReturnedEntry(bt.ID).Message())
	form := url.Values{"csrf": {b.csrf()}, "key": {"web:close"}, "confirmed": {"yes"}}
	pair.CaughtUp(t)

	storetest.Exec(t, pair.Replica, `SELECT pg_wal_replay_pause()`)
	wantRedirect(t, b.post(page+"/close", form), page)
	wantBody(t, b.get(page), returned)
	if r := b.get(page); strings.Contains(r.body, returned) {
		t.Fatal("the page opened again did not read the paused replica: it shows the capital returned")
	}
	storetest.Exec(t, pair.Replica, `SELECT pg_wal_replay_resume()`)
	pair.CaughtUp(t)
	wantBody(t, b.get(page), returned)
}
