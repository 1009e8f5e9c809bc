package storetest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestStreamOneSnapshot: the reads of one Stream see one snapshot. A
// posting committed while it runs is in neither the postings it streams
// before nor those it streams after, nor in the balance it reads after;
// the next Stream sees it.
func TestStreamOneSnapshot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ana := ledger.User("1", "USD")
		post := func() error {
			return s.WithTx(ctx, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ledger.World("USD"), ana, money.New(100, usd)))
			})
		}
		if err := post(); err != nil {
			t.Fatal(err)
		}
		from, to := time.Unix(0, 0), time.Now().Add(time.Hour)
		count := func(tx app.Tx) (int, error) {
			n := 0
			err := tx.StreamPostings(ctx, ana, from, to, func(*cambista.StatementLine) error { n++; return nil })
			return n, err
		}
		var before, after int
		var balance int64
		err := s.Stream(ctx, func(tx app.Tx) error {
			var err error
			if before, err = count(tx); err != nil {
				return err
			}
			if err := post(); err != nil {
				return err
			}
			if after, err = count(tx); err != nil {
				return err
			}
			balance, err = tx.BalanceBefore(ctx, ana, to, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if before != 1 || after != 1 || balance != 100 {
			t.Fatalf("streamed %d postings, then %d after a commit, balance %d; want 1, 1 and 100 from one snapshot", before, after, balance)
		}
		err = s.Stream(ctx, func(tx app.Tx) error {
			after, err = count(tx)
			return err
		})
		if err != nil || after != 2 {
			t.Fatalf("the next Stream saw %d postings (%v), want 2", after, err)
		}
	})
}

// TestStreamIsNotRetried: a Stream whose function fails with an error that
// View retries (a PostgreSQL serialization failure) runs the function once
// and returns the error, since its rows may have been written out.
func TestStreamIsNotRetried(t *testing.T) {
	s := storetest.Open(t, "postgres", store.Options{MaxRetries: 2})
	ctx := context.Background()
	lost := &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
	for _, c := range []struct {
		name string
		run  func(context.Context, func(app.Tx) error) error
		want int
	}{
		{"View", s.View, 3},
		{"Stream", s.Stream, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			runs := 0
			err := c.run(ctx, func(app.Tx) error { runs++; return lost })
			if !errors.Is(err, lost) || runs != c.want {
				t.Fatalf("%s ran its function %d times and returned %v; want %d times and the serialization failure", c.name, runs, err, c.want)
			}
		})
	}
}
