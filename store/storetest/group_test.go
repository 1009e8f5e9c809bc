package storetest_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/prometheus/client_golang/prometheus"
	"modernc.org/sqlite"
)

// On SQLite, concurrent write transactions share one commit (group
// commit), each in a savepoint. These tests hold on both databases; on
// SQLite they check that a member's failure stays its own, and that work
// is reported done only once it has committed.

var errBoom = errors.New("boom")

func client(id string) *cambista.User {
	return &cambista.User{ID: cambista.UserID(id), DisplayName: id, Type: cambista.UserTypeClient, Status: cambista.UserActive, Locale: "es"}
}

// users returns the IDs of the stored users.
func users(t *testing.T, s *store.Store) map[string]bool {
	t.Helper()
	rows, err := s.DB().Query(`SELECT id FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// behind starts second from inside the first writer's transaction, once.
// On SQLite it returns once second is queued for the write lock, so that
// second joins the first's group: the first leaves its work to the group's
// commit, and second, last in the queue, commits it. On PostgreSQL, whose
// writers do not queue in the process, second runs beside the first.
func behind(s *store.Store, once *sync.Once, wg *sync.WaitGroup, second func()) {
	once.Do(func() {
		wg.Go(second)
		if s.Dialect() != "sqlite" {
			return
		}
		for s.WriterQueue().Queued == 0 {
			runtime.Gosched()
		}
	})
}

// grouped fails the test unless, on SQLite, one writer has joined a group
// another began: the second writer behind the first.
func grouped(t *testing.T, s *store.Store) {
	t.Helper()
	if n := s.WriterQueue().Joined; s.Dialect() == "sqlite" && n != 1 {
		t.Errorf("%d writers joined a group, want the second", n)
	}
}

// queued runs a writer that stores user "a" and returns result, with
// second started behind it (see behind), and waits for both. It returns
// the first writer's error and how many times it ran, and fails the test
// unless, on SQLite, second joined the first writer's group.
func queued(t *testing.T, s *store.Store, result error, second func()) (error, int32) {
	t.Helper()
	ctx := context.Background()
	var once sync.Once
	var wg sync.WaitGroup
	var err error
	var runs atomic.Int32
	wg.Go(func() {
		err = s.WithTx(ctx, func(tx app.Tx) error {
			runs.Add(1)
			if err := tx.CreateUser(ctx, client("a")); err != nil {
				return err
			}
			behind(s, &once, &wg, second)
			return result
		})
	})
	wg.Wait()
	grouped(t, s)
	return err, runs.Load()
}

// metric returns the sum and count of a histogram, or the value of a
// counter.
func metric(t *testing.T, reg *prometheus.Registry, name string) (sum float64, count uint64) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if h := m.GetHistogram(); h != nil {
				sum, count = sum+h.GetSampleSum(), count+h.GetSampleCount()
			} else {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum, count
}

// TestWritersFailApart: concurrent writers, one in three failing after it
// wrote a user and queued an audit event. The failures leave nothing; the
// others' users and events are all stored. On SQLite, commits were shared.
func TestWritersFailApart(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			s := storetest.Open(t, d, store.Options{Metrics: store.NewMetrics(reg)})
			ctx := context.Background()
			const writers, rounds = 24, 5
			errs := make([]error, writers*rounds)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					for r := range rounds {
						i := w*rounds + r
						errs[i] = s.WithTx(ctx, func(tx app.Tx) error {
							if err := tx.CreateUser(ctx, client(fmt.Sprint(i))); err != nil {
								return err
							}
							tx.Audit(&cambista.AuditEvent{Actor: "test", Action: "test.create", EntityType: "user", EntityID: fmt.Sprint(i)})
							if i%3 == 0 {
								return errBoom
							}
							return nil
						})
					}
				})
			}
			wg.Wait()
			stored := users(t, s)
			ok := 0
			for i, err := range errs {
				id := fmt.Sprint(i)
				if i%3 == 0 {
					if !errors.Is(err, errBoom) || stored[id] {
						t.Errorf("failing writer %d: error %v, user stored %v", i, err, stored[id])
					}
					continue
				}
				if err != nil || !stored[id] {
					t.Errorf("writer %d: error %v, user stored %v", i, err, stored[id])
				}
				ok++
			}
			if n, err := app.VerifyAudit(ctx, s); err != nil || n != int64(ok) {
				t.Fatalf("audit chain: %d events, %v; want %d, nil", n, err, ok)
			}
			if d == "sqlite" {
				members, commits := metric(t, reg, "cambista_db_commit_group_size")
				t.Logf("%v transactions in %d commits", members, commits)
				if members <= float64(commits) {
					t.Fatalf("%v transactions in %d commits: no commit was shared", members, commits)
				}
			}
		})
	}
}

// TestCancelledMember: a writer whose context is cancelled in its
// transaction fails and leaves nothing, and the writer before it in its
// group commits.
func TestCancelledMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var errC error
		errA, _ := queued(t, s, nil, func() {
			cctx, cancel := context.WithCancel(context.Background())
			errC = s.WithTx(cctx, func(tx app.Tx) error {
				if err := tx.CreateUser(cctx, client("c")); err != nil {
					return err
				}
				cancel()
				return tx.CreateUser(cctx, client("c2"))
			})
		})
		stored := users(t, s)
		if errA != nil || !stored["a"] {
			t.Errorf("first writer: %v, stored %v", errA, stored["a"])
		}
		if !errors.Is(errC, context.Canceled) || stored["c"] || stored["c2"] {
			t.Errorf("cancelled writer: %v, stored %v", errC, stored)
		}
	})
}

// TestFirstMemberFails: the first writer of a group fails with a writer
// queued behind it: nothing of the first is stored, and the second
// commits.
func TestFirstMemberFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		refused := errors.New("refused")
		var errB error
		errA, _ := queued(t, s, refused, func() {
			errB = s.WithTx(context.Background(), func(tx app.Tx) error { return tx.CreateUser(context.Background(), client("b")) })
		})
		stored := users(t, s)
		if !errors.Is(errA, refused) || stored["a"] {
			t.Errorf("first writer: %v, stored %v; want refused, false", errA, stored["a"])
		}
		if errB != nil || !stored["b"] {
			t.Errorf("second writer: %v, stored %v; want nil, true", errB, stored["b"])
		}
	})
}

// cancelRunning is cancelled by the SQLite function cancel_running(),
// which a statement calls once it runs: a context cancelled by a timer
// instead could end before the statement starts, and then database/sql
// refuses the statement and nothing is interrupted.
var cancelRunning atomic.Pointer[context.CancelFunc]

func init() {
	sqlite.MustRegisterScalarFunction("cancel_running", 0, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		if cancel := cancelRunning.Load(); cancel != nil {
			(*cancel)()
		}
		return true, nil
	})
}

// TestInterruptedMember: on SQLite, a write statement interrupted by its
// context's cancellation rolls back the whole transaction, and with it the
// work other members of the group left to its commit. Those run again,
// alone, and commit; nothing of the interrupted writer is stored.
func TestInterruptedMember(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := storetest.Open(t, "sqlite", store.Options{Metrics: store.NewMetrics(reg)})
	ctx := context.Background()
	// Creating a user named "slow" runs a statement that would take hours,
	// and that cancels its context once it runs (see cancelRunning).
	for _, q := range []string{
		`CREATE TABLE filler (n INTEGER)`,
		`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000) INSERT INTO filler SELECT n FROM c`,
		`CREATE TRIGGER slow AFTER INSERT ON users WHEN NEW.id = 'slow' BEGIN
			UPDATE users SET phone = (SELECT COUNT(*) FROM filler a, filler b, filler c WHERE cancel_running()) WHERE id = NEW.id;
		END`,
	} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var errSlow error
	errA, runsA := queued(t, s, nil, func() {
		errSlow = s.WithTx(ctx, func(tx app.Tx) error {
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			cancelRunning.Store(&cancel)
			return tx.CreateUser(cctx, client("slow"))
		})
	})
	stored := users(t, s)
	if errA != nil || !stored["a"] || runsA != 2 {
		t.Errorf("first writer: %v, stored %v, ran %d times; want nil, true, 2", errA, stored["a"], runsA)
	}
	if !errors.Is(errSlow, context.Canceled) || stored["slow"] {
		t.Errorf("interrupted writer: %v, stored %v", errSlow, stored["slow"])
	}
	if retries, _ := metric(t, reg, "cambista_db_tx_retries_total"); retries != 1 {
		t.Errorf("%v retries, want 1", retries)
	}
	mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, client("after")) })
}

// TestGroupCommitFails: on SQLite, a member's work that breaks a
// constraint checked only at commit makes the group's COMMIT fail, and
// every member that had succeeded gets an error: nothing of theirs was
// stored. Each runs again alone: the others commit, the culprit fails
// alone.
func TestGroupCommitFails(t *testing.T) {
	s := storetest.Open(t, "sqlite", store.Options{})
	ctx := context.Background()
	// Creating a user named "orphan" adds a row whose deferred foreign key
	// points at no user.
	for _, q := range []string{
		`CREATE TABLE orphans (user_id TEXT REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED)`,
		`CREATE TRIGGER orphan AFTER INSERT ON users WHEN NEW.id = 'orphan' BEGIN
			INSERT INTO orphans (user_id) VALUES ('nobody');
		END`,
	} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var errOrphan error
	var runsOrphan atomic.Int32
	errA, runsA := queued(t, s, nil, func() {
		errOrphan = s.WithTx(ctx, func(tx app.Tx) error {
			runsOrphan.Add(1)
			return tx.CreateUser(ctx, client("orphan"))
		})
	})
	stored := users(t, s)
	if errA != nil || !stored["a"] || runsA != 2 {
		t.Errorf("first writer: %v, stored %v, ran %d times; want nil, true, 2", errA, stored["a"], runsA)
	}
	if cambista.ErrorCode(errOrphan) != cambista.EINTERNAL || stored["orphan"] || runsOrphan.Load() != 2 {
		t.Errorf("culprit: %v, stored %v, ran %d times; want an internal error, false, 2", errOrphan, stored["orphan"], runsOrphan.Load())
	}
}

// TestGroupIdempotency: a key claimed by a writer that then fails can be
// claimed by the next, in the same group on SQLite; and of writers racing
// to claim one key, one claims it and the others replay its result.
func TestGroupIdempotency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var once sync.Once
		var wg sync.WaitGroup
		var errF, errG error
		wg.Go(func() {
			errF = s.WithTx(ctx, func(tx app.Tx) error {
				if _, _, _, err := tx.ClaimKey(ctx, "k1", "h"); err != nil {
					return err
				}
				behind(s, &once, &wg, func() {
					errG = s.WithTx(ctx, func(tx app.Tx) error {
						claimed, _, _, err := tx.ClaimKey(ctx, "k1", "h")
						if err != nil {
							return err
						}
						if !claimed {
							t.Error("a key claimed by a failed transaction could not be claimed again")
						}
						return tx.SaveKeyResult(ctx, "k1", []byte(`"g"`))
					})
				})
				return errBoom
			})
		})
		wg.Wait()
		grouped(t, s)
		if !errors.Is(errF, errBoom) || errG != nil {
			t.Fatalf("errors %v, %v; want boom, nil", errF, errG)
		}

		const racers = 16
		var claims atomic.Int32
		results := make([]string, racers)
		for i := range racers {
			wg.Go(func() {
				err := s.WithTx(ctx, func(tx app.Tx) error {
					claimed, _, result, err := tx.ClaimKey(ctx, "k2", "h")
					if err != nil || !claimed {
						results[i] = string(result)
						return err
					}
					claims.Add(1)
					results[i] = fmt.Sprintf(`"%d"`, i)
					return tx.SaveKeyResult(ctx, "k2", []byte(results[i]))
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if claims.Load() != 1 {
			t.Fatalf("%d claims of one key", claims.Load())
		}
		for i := range racers {
			if results[i] != results[0] {
				t.Fatalf("results %q: a replay differs from the first result", results)
			}
		}
	})
}

// TestPanickingMember: a writer that panics leaves nothing, the writer
// before it in its group commits (after running again, on SQLite), and
// writers after it go on.
func TestPanickingMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var recovered any
		errA, _ := queued(t, s, nil, func() {
			defer func() { recovered = recover() }()
			s.WithTx(ctx, func(tx app.Tx) error {
				if err := tx.CreateUser(ctx, client("p")); err != nil {
					return err
				}
				panic(errBoom)
			})
		})
		if recovered != errBoom {
			t.Fatalf("recovered %v, want the panic", recovered)
		}
		mustTx(t, s, func(tx app.Tx) error { return tx.CreateUser(ctx, client("after")) })
		stored := users(t, s)
		if errA != nil || !stored["a"] || stored["p"] || !stored["after"] {
			t.Fatalf("first writer %v; stored %v; want a and after", errA, stored)
		}
	})
}
