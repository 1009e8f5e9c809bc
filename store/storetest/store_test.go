package storetest_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/audit"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

var (
	usd = money.Currency{Code: "USD", Exponent: 2}
	ves = money.Currency{Code: "VES", Exponent: 2}
)

func tx(t *testing.T, s *store.Store, fn func(tx app.Tx) error) error {
	t.Helper()
	return s.WithTx(context.Background(), fn)
}

func mustTx(t *testing.T, s *store.Store, fn func(tx app.Tx) error) {
	t.Helper()
	if err := tx(t, s, fn); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if cambista.ErrorCode(err) != code {
		t.Fatalf("got error %v (code %q), want code %q", err, cambista.ErrorCode(err), code)
	}
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := &cambista.User{ID: "1001", DisplayName: "Ana", Type: cambista.UserTypeClient, Status: cambista.UserActive,
			Locale: "es", Roles: cambista.RoleSet(0).With(cambista.RoleClient).With(cambista.RoleCashier)}
		t.Run("OK", func(t *testing.T) {
			mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, u) })
			mustTx(t, s, func(tx app.Tx) error {
				got, err := tx.User(ctx, "1001")
				if err != nil {
					return err
				}
				if got.DisplayName != "Ana" || !got.Roles.Has(cambista.RoleCashier) || got.Roles.Has(cambista.RoleSuperuser) || !got.CreatedAt.Equal(tx.Now()) && got.CreatedAt.IsZero() {
					t.Fatalf("got %+v", got)
				}
				got.Country, got.Roles = "VE", got.Roles.Without(cambista.RoleCashier)
				if err := tx.UpdateUser(ctx, got); err != nil {
					return err
				}
				if got.Version != 1 {
					t.Fatalf("version %d after the first change, want 1", got.Version)
				}
				return nil
			})
			mustTx(t, s, func(tx app.Tx) error {
				got, err := tx.User(ctx, "1001")
				if err != nil {
					return err
				}
				if got.Country != "VE" || got.Roles.Has(cambista.RoleCashier) || got.Version != 1 {
					t.Fatalf("update not stored: %+v", got)
				}
				list, err := tx.Users(ctx, cambista.UserFilter{Search: "an"})
				if err != nil || len(list) != 1 {
					t.Fatalf("search: %v %v", list, err)
				}
				// % and _ are text, not wildcards.
				for _, search := range []string{"%", "_", "a_a", "a%", `\`} {
					if list, err := tx.Users(ctx, cambista.UserFilter{Search: search}); err != nil || len(list) != 0 {
						t.Fatalf("search %q: %v %v", search, list, err)
					}
				}
				list, err = tx.Users(ctx, cambista.UserFilter{Role: cambista.RoleCashier})
				if err != nil || len(list) != 0 {
					t.Fatalf("role filter: %v %v", list, err)
				}
				return nil
			})
		})
		t.Run("ErrConflict", func(t *testing.T) {
			wantCode(t, tx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, u) }), cambista.ECONFLICT)
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, tx(t, s, func(tx app.Tx) error { _, err := tx.User(ctx, "999"); return err }), cambista.ENOTFOUND)
			wantCode(t, tx(t, s, func(tx app.Tx) error {
				return tx.UpdateUser(ctx, &cambista.User{ID: "999"})
			}), cambista.ENOTFOUND)
		})
	})
}

func TestCatalog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustTx(t, s, func(tx app.Tx) error {
			for _, c := range []*cambista.Currency{
				{Currency: usd, Name: "US dollar", Enabled: true},
				{Currency: ves, Name: "Bolívar", Enabled: true},
				{Currency: money.Currency{Code: "CLP", Rounding: money.HalfUp}, Name: "Peso chileno", Enabled: true},
			} {
				if err := tx.CreateCurrency(ctx, c); err != nil {
					return err
				}
			}
			return tx.CreateCountry(ctx, &cambista.Country{Code: "VE", Name: "Venezuela", Currency: "VES", Enabled: true})
		})
		wantCode(t, tx(t, s, func(tx app.Tx) error {
			return tx.CreateCurrency(ctx, &cambista.Currency{Currency: usd, Name: "again"})
		}), cambista.ECONFLICT)
		mustTx(t, s, func(tx app.Tx) error {
			clp, err := tx.Currency(ctx, "CLP")
			if err != nil {
				return err
			}
			if clp.Exponent != 0 || clp.Rounding != money.HalfUp || !clp.Enabled {
				t.Fatalf("CLP: %+v", clp)
			}
			clp.Enabled = false
			if err := tx.UpdateCurrency(ctx, clp); err != nil {
				return err
			}
			all, err := tx.Currencies(ctx)
			if err != nil {
				return err
			}
			if len(all) != 3 || all[0].Code != "CLP" || all[0].Enabled {
				t.Fatalf("currencies: %+v", all)
			}
			ve, err := tx.Country(ctx, "VE")
			if err != nil || ve.Currency != "VES" {
				t.Fatalf("country: %+v %v", ve, err)
			}
			_, err = tx.Country(ctx, "XX")
			wantCode(t, err, cambista.ENOTFOUND)
			return nil
		})
	})
}

func TestRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedCurrencies(t, s)
		t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		mustTx(t, s, func(tx app.Tx) error {
			for i, v := range []string{"39.5", "40", "41.25"} {
				r := &cambista.Rate{Base: "USD", Quote: "VES", Value: mustRate(t, v), SetBy: "1", ValidFrom: t0.Add(time.Duration(i) * time.Hour)}
				if err := tx.CreateRate(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		mustTx(t, s, func(tx app.Tx) error {
			r, err := tx.CurrentRate(ctx, "USD", "VES", t0.Add(90*time.Minute))
			if err != nil {
				return err
			}
			if r.Value.String() != "40" {
				t.Errorf("current at t0+90m = %s, want 40", r.Value)
			}
			r, err = tx.CurrentRate(ctx, "USD", "VES", t0.Add(5*time.Hour))
			if err != nil || r.Value.String() != "41.25" {
				t.Errorf("current at t0+5h = %v %v, want 41.25", r, err)
			}
			_, err = tx.CurrentRate(ctx, "USD", "VES", t0.Add(-time.Minute))
			wantCode(t, err, cambista.ENOTFOUND)
			hist, err := tx.Rates(ctx, "USD", "VES", 10)
			if err != nil || len(hist) != 3 || hist[0].Value.String() != "41.25" {
				t.Errorf("history: %v %v", hist, err)
			}
			return nil
		})
	})
}

// TestNowIsFixedPerTransaction: a transaction's Now is the store's clock
// when it began, in UTC microseconds, however the clock moves meanwhile.
func TestNowIsFixedPerTransaction(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("VET", -4*60*60))
	storetest.EachOnClock(t, start, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		mustTx(t, s, func(tx app.Tx) error {
			a := tx.Now()
			c.Add(time.Hour)
			if b := tx.Now(); !a.Equal(b) || !a.Equal(start.Truncate(time.Microsecond)) || a.Location() != time.UTC || a.Nanosecond()%1000 != 0 {
				t.Fatalf("Now changed or is not the clock in UTC microseconds: %v then %v, clock at %v", a, b, start)
			}
			return nil
		})
	})
}

func mustRate(t testing.TB, s string) money.Rate {
	t.Helper()
	r, err := money.ParseRate(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func seedCurrencies(t testing.TB, s *store.Store) {
	t.Helper()
	err := s.WithTx(context.Background(), func(tx app.Tx) error {
		for _, c := range []money.Currency{usd, ves} {
			if err := tx.CreateCurrency(context.Background(), &cambista.Currency{Currency: c, Name: c.Code, Enabled: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func entry(t testing.TB, moves ...any) *cambista.JournalEntry {
	t.Helper()
	b := ledger.New(cambista.TransferEntry(1), "test", 1)
	for i := 0; i+2 < len(moves)+1; i += 3 {
		b.Move(moves[i].(cambista.LedgerAccount), moves[i+1].(cambista.LedgerAccount), moves[i+2].(money.Amount))
	}
	e, err := b.Entry()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func balance(t *testing.T, s *store.Store, a cambista.LedgerAccount) int64 {
	t.Helper()
	var b cambista.Balance
	mustTx(t, s, func(tx app.Tx) error {
		var err error
		b, err = tx.Balance(context.Background(), a)
		return err
	})
	return b.Minor
}

func checkLedger(t *testing.T, s *store.Store) {
	t.Helper()
	v, err := app.CheckLedger(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 0 {
		t.Fatalf("ledger invariants broken: %v", v)
	}
}

func TestPost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ana := ledger.User("1", "USD")
		t.Run("OK", func(t *testing.T) {
			mustTx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ledger.World("USD"), ana, money.New(10000, usd)))
			})
			mustTx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ana, ledger.House(ledger.HouseRevenue, "USD"), money.New(2500, usd)))
			})
			if got := balance(t, s, ana); got != 7500 {
				t.Fatalf("balance %d, want 7500", got)
			}
			if got := balance(t, s, ledger.World("USD")); got != -10000 {
				t.Fatalf("world balance %d, want -10000", got)
			}
			checkLedger(t, s)
		})
		t.Run("ErrInsufficient", func(t *testing.T) {
			err := tx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ana, ledger.World("USD"), money.New(7501, usd)))
			})
			wantCode(t, err, cambista.EINSUFFICIENT)
			if got := balance(t, s, ana); got != 7500 {
				t.Fatalf("balance changed to %d by a refused entry", got)
			}
			// An account that never received anything cannot pay either.
			err = tx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ledger.Batch(3), ledger.World("VES"), money.New(1, ves)))
			})
			wantCode(t, err, cambista.EINSUFFICIENT)
			checkLedger(t, s)
		})
		t.Run("ErrUnbalanced", func(t *testing.T) {
			err := tx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, &cambista.JournalEntry{Description: cambista.TransferEntry(1), Postings: []cambista.Posting{
					{Account: ana, Amount: money.New(100, usd)},
					{Account: ledger.World("USD"), Amount: money.New(-99, usd)},
				}})
			})
			wantCode(t, err, cambista.EINVALID)
		})
		t.Run("ErrMixedCurrencyOnBatch", func(t *testing.T) {
			mustTx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ledger.World("VES"), ledger.Batch(9), money.New(500, ves)))
			})
			err := tx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ledger.World("USD"), ledger.Batch(9), money.New(500, usd)))
			})
			wantCode(t, err, cambista.EINVALID)
			checkLedger(t, s)
		})
		t.Run("CheckerCatchesTampering", func(t *testing.T) {
			if _, err := s.DB().Exec(`UPDATE balances SET balance = balance + 1 WHERE account = $1`, string(ana)); err != nil {
				t.Fatal(err)
			}
			v, err := app.CheckLedger(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(v) != 1 || v[0].Invariant != "cached_balance" || v[0].Subject != string(ana) {
				t.Fatalf("violations %v, want one cached_balance on %s", v, ana)
			}
			if _, err := s.DB().Exec(`INSERT INTO postings (entry_id, account, currency, amount, time) VALUES (1, 'world:USD', 'USD', 5, (SELECT time FROM journal_entries WHERE id = 1))`); err != nil {
				t.Fatal(err)
			}
			v, _ = app.CheckLedger(ctx, s)
			if len(v) != 2 || v[0].Invariant != "currency_sum" || v[0].Subject != "USD" {
				t.Fatalf("violations %v, want currency_sum USD first", v)
			}
		})
	})
}

func TestAuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i := range 5 {
			mustTx(t, s, func(tx app.Tx) error {
				after, _ := json.Marshal(map[string]int{"n": i})
				tx.Audit(&cambista.AuditEvent{Actor: "1", Action: "test.do", EntityType: "thing", EntityID: fmt.Sprint(i), After: after})
				if i == 4 { // two events in one transaction
					tx.Audit(&cambista.AuditEvent{Actor: "1", Action: "test.do", EntityType: "thing", EntityID: "4b"})
				}
				return nil
			})
		}
		// A rolled-back transaction leaves no event.
		err := tx(t, s, func(tx app.Tx) error {
			tx.Audit(&cambista.AuditEvent{Actor: "1", Action: "test.do", EntityType: "thing", EntityID: "x"})
			return cambista.Errorf(cambista.EINVALID, cambista.MsgBadName.Msg())
		})
		wantCode(t, err, cambista.EINVALID)
		n, err := app.VerifyAudit(ctx, s)
		if err != nil || n != 6 {
			t.Fatalf("verify: %d events, %v; want 6, nil", n, err)
		}
		// Edit a row behind the application's back.
		if _, err := s.DB().Exec(`UPDATE audit_events SET after = '{"n":99}' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		n, err = app.VerifyAudit(ctx, s)
		var broken *audit.BrokenError
		if !errors.As(err, &broken) || broken.Seq != 3 || n != 2 {
			t.Fatalf("verify after tampering: %d, %v; want broken at 3 after 2", n, err)
		}
		// Deleting an event is caught too.
		if _, err := s.DB().Exec(`DELETE FROM audit_events WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		if _, err := app.VerifyAudit(ctx, s); !errors.As(err, &broken) || broken.Seq != 2 {
			t.Fatalf("verify after delete: %v; want broken at 2", err)
		}
	})
}

// TestAuditSealers runs two stores on one database, as two processes
// would: their writers commit audited transactions while both stores seal,
// in the background and on demand. Every event is chained exactly once, and
// a store that closes leaves nothing unsealed.
func TestAuditSealers(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "cambista.db")
			if d == "postgres" {
				dsn = storetest.PostgresSchema(t)
			}
			ctx := context.Background()
			open := func() *store.Store {
				s, err := store.Open(ctx, dsn, store.Options{SealEvery: time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			a := open()
			if _, err := a.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			b := open()
			audited := func(s *store.Store, actor string, i int) {
				mustTx(t, s, func(tx app.Tx) error {
					tx.Audit(&cambista.AuditEvent{Actor: actor, Action: "test.do", EntityType: "thing", EntityID: fmt.Sprint(i)})
					return nil
				})
			}
			const writers, each = 8, 25
			var wg sync.WaitGroup
			for w := range writers {
				s := []*store.Store{a, b}[w%2]
				wg.Go(func() {
					for i := range each {
						audited(s, fmt.Sprint(w), i)
						if i%5 == 4 {
							if _, err := s.Seal(ctx); err != nil {
								t.Error(err)
							}
						}
					}
				})
			}
			wg.Wait()
			for i := range 3 {
				audited(b, "b", i)
			}
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			var pending int
			if err := a.DB().QueryRow(`SELECT COUNT(*) FROM audit_pending`).Scan(&pending); err != nil || pending != 0 {
				t.Fatalf("%d events left unsealed after close (%v)", pending, err)
			}
			if n, err := app.VerifyAudit(ctx, a); err != nil || n != writers*each+3 {
				t.Fatalf("verify: %d events, %v; want %d, nil", n, err, writers*each+3)
			}
		})
	}
}

// TestFailedStatementFailsCommit: on PostgreSQL a write sent late (held
// for the next round trip, as outbox and audit rows are) that fails makes
// every later statement and the commit fail, and a transaction whose
// statement failed cannot commit even when the use case ignored the error:
// nothing of either is stored.
func TestFailedStatementFailsCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != "postgres" {
			t.Skip("SQLite stores any bytes as text; the writes below succeed there")
		}
		ctx := context.Background()
		user := func(id cambista.UserID) *cambista.User {
			return &cambista.User{ID: id, DisplayName: "Ana", Type: cambista.UserTypeClient, Status: cambista.UserActive, Locale: "es"}
		}
		mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, user("2001")) })
		err := tx(t, s, func(tx app.Tx) error {
			if err := tx.CreateUser(ctx, user("2002")); err != nil {
				return err
			}
			// Not valid UTF-8: PostgreSQL refuses it when the held insert
			// reaches it, with the next statement.
			if err := tx.Enqueue(ctx, &cambista.OutboxMessage{Kind: "\xff", Payload: json.RawMessage(`{}`)}); err != nil {
				return err
			}
			if _, err := tx.User(ctx, "2001"); err == nil {
				t.Error("a statement after a failed held write succeeded")
			}
			return nil // as if the error went unnoticed
		})
		if err == nil {
			t.Fatal("a transaction whose held write failed committed")
		}
		err = tx(t, s, func(tx app.Tx) error {
			if err := tx.CreateUser(ctx, user("2003")); err != nil {
				return err
			}
			wantCode(t, tx.CreateUser(ctx, user("2001")), cambista.ECONFLICT)
			return nil
		})
		if err == nil {
			t.Fatal("a transaction whose statement failed committed")
		}
		mustTx(t, s, func(tx app.Tx) error {
			for _, id := range []cambista.UserID{"2002", "2003"} {
				if _, err := tx.User(ctx, id); cambista.ErrorCode(err) != cambista.ENOTFOUND {
					t.Errorf("user %s of a failed transaction: %v", id, err)
				}
			}
			return nil
		})
	})
}

func TestIdempotencyKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustTx(t, s, func(tx app.Tx) error {
			claimed, _, _, err := tx.ClaimKey(ctx, "k1", "h1")
			if err != nil || !claimed {
				t.Fatalf("first claim: %v %v", claimed, err)
			}
			return tx.SaveKeyResult(ctx, "k1", []byte(`{"ok":true}`))
		})
		mustTx(t, s, func(tx app.Tx) error {
			claimed, prev, result, err := tx.ClaimKey(ctx, "k1", "h2")
			if err != nil || claimed || prev != "h1" || string(result) != `{"ok":true}` {
				t.Fatalf("second claim: %v %q %q %v", claimed, prev, result, err)
			}
			return nil
		})
		// A claim rolled back with its transaction can be made again.
		_ = tx(t, s, func(tx app.Tx) error {
			tx.ClaimKey(ctx, "k2", "h")
			return errors.New("boom")
		})
		mustTx(t, s, func(tx app.Tx) error {
			claimed, _, _, err := tx.ClaimKey(ctx, "k2", "h")
			if err != nil || !claimed {
				t.Fatalf("claim after rollback: %v %v", claimed, err)
			}
			return nil
		})
	})
}

func TestOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := &cambista.OutboxMessage{Kind: "discord.dm", Payload: json.RawMessage(`{"user":"1"}`)}
		mustTx(t, s, func(tx app.Tx) error { return tx.Enqueue(ctx, m) })
		if m.ID == 0 || m.RunAt.IsZero() {
			t.Fatalf("enqueue did not set ID and RunAt: %+v", m)
		}
		var kind, payload string
		var delivered sql.NullInt64
		if err := s.DB().QueryRow(`SELECT kind, payload, delivered_at FROM outbox WHERE id = $1`, m.ID).Scan(&kind, &payload, &delivered); err != nil {
			t.Fatal(err)
		}
		if kind != "discord.dm" || payload != `{"user":"1"}` || delivered.Valid {
			t.Fatalf("stored %q %q %v", kind, payload, delivered)
		}
		err := tx(t, s, func(tx app.Tx) error {
			return tx.Enqueue(ctx, &cambista.OutboxMessage{Kind: "x", Payload: json.RawMessage(`not json`)})
		})
		wantCode(t, err, cambista.EINTERNAL)
	})
}

// TestConcurrentWriters: 50 goroutines post entries and append audit
// events at once, many trying to overdraw the same accounts. The chain must
// stay unbroken, the invariants hold, and every overdraw be refused.
func TestConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const workers, rounds, users = 50, 8, 5
		// Each user starts with 10.00 USD.
		for u := range users {
			mustTx(t, s, func(tx app.Tx) error {
				return tx.Post(ctx, entry(t, ledger.World("USD"), ledger.User(cambista.UserID(fmt.Sprint(100+u)), "USD"), money.New(1000, usd)))
			})
		}
		var mu sync.Mutex
		var ok, refused int
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					from := ledger.User(cambista.UserID(fmt.Sprint(100+(w+r)%users)), "USD")
					to := ledger.User(cambista.UserID(fmt.Sprint(100+(w+r+1)%users)), "USD")
					err := s.WithTx(ctx, func(tx app.Tx) error {
						// Pay 1.00 to the next user and 0.50 out of the system:
						// the outflow drains the users, so many attempts
						// must be refused.
						e := entry(t, from, to, money.New(100, usd), from, ledger.World("USD"), money.New(50, usd))
						if err := tx.Post(ctx, e); err != nil {
							return err
						}
						tx.Audit(&cambista.AuditEvent{Actor: fmt.Sprint(w), Action: "test.pay", EntityType: "entry", EntityID: fmt.Sprint(e.ID)})
						return nil
					})
					mu.Lock()
					switch cambista.ErrorCode(err) {
					case "":
						ok++
					case cambista.EINSUFFICIENT:
						refused++
					default:
						t.Errorf("worker %d: %v", w, err)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok == 0 || refused == 0 {
			t.Fatalf("%d ok, %d refused: the workload should have both", ok, refused)
		}
		n, err := app.VerifyAudit(ctx, s)
		if err != nil || n != int64(ok) {
			t.Fatalf("audit chain: %d events, %v; want %d, nil", n, err, ok)
		}
		checkLedger(t, s)
		var total int64
		for u := range users {
			total += balance(t, s, ledger.User(cambista.UserID(fmt.Sprint(100+u)), "USD"))
		}
		if want := int64(users*1000 - ok*50); total != want {
			t.Fatalf("users hold %d, want %d", total, want)
		}
	})
}

func TestAgentRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := &cambista.User{ID: "1002", DisplayName: "Bea", Type: cambista.UserTypeClient, Status: cambista.UserActive,
			Locale: "es", Roles: cambista.RoleSet(0).With(cambista.RoleClient)}
		mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, u) })
		r := &cambista.AgentRequest{UserID: u.ID, Status: cambista.AgentRequested}
		mustTx(t, s, func(tx app.Tx) error { return tx.CreateAgentRequest(ctx, r) })
		if r.ID == 0 || r.CreatedAt.IsZero() {
			t.Fatalf("created %+v", r)
		}
		// One request waits per user.
		wantCode(t, tx(t, s, func(tx app.Tx) error {
			return tx.CreateAgentRequest(ctx, &cambista.AgentRequest{UserID: u.ID, Status: cambista.AgentRequested})
		}), cambista.ECONFLICT)
		mustTx(t, s, func(tx app.Tx) error {
			got, err := tx.AgentRequest(ctx, r.ID)
			if err != nil {
				return err
			}
			got.Status, got.DecidedBy, got.Reason = cambista.AgentRejected, "1", "no"
			return tx.UpdateAgentRequest(ctx, got)
		})
		mustTx(t, s, func(tx app.Tx) error {
			waiting, err := tx.AgentRequests(ctx, cambista.AgentRequestFilter{Status: cambista.AgentRequested})
			if err != nil || len(waiting) != 0 {
				t.Fatalf("waiting %v %v", waiting, err)
			}
			all, err := tx.AgentRequests(ctx, cambista.AgentRequestFilter{UserID: u.ID})
			if err != nil || len(all) != 1 || all[0].Status != cambista.AgentRejected || all[0].DecidedBy != "1" || all[0].Reason != "no" {
				t.Fatalf("all %+v %v", all, err)
			}
			// Once decided, the user may ask again.
			return tx.CreateAgentRequest(ctx, &cambista.AgentRequest{UserID: u.ID, Status: cambista.AgentRequested})
		})
		wantCode(t, tx(t, s, func(tx app.Tx) error { _, err := tx.AgentRequest(ctx, 9999); return err }), cambista.ENOTFOUND)
		wantCode(t, tx(t, s, func(tx app.Tx) error {
			return tx.UpdateAgentRequest(ctx, &cambista.AgentRequest{ID: 9999})
		}), cambista.ENOTFOUND)
	})
}
