package storetest_test

import (
	"context"
	"fmt"
	"os"
	"path"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// partitionsVersion is the migration that partitions history by month.
const partitionsVersion = 18

// historyStart is the first instant of the history the partition tests
// write: three months, January to March 2026.
var historyStart = time.Date(2026, time.January, 10, 12, 0, 0, 0, time.UTC)

// historyMonths are the first instants of those months.
var historyMonths = []time.Time{
	time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2026, time.April, 1, 0, 0, 0, 0, time.UTC),
}

// writeHistory writes, in each of the three months, a few entries that move
// money between the world, a user and a batch, each with an audit event; the
// clock moves a month (and a day) between months. before runs at the start
// of each month.
func writeHistory(t *testing.T, s *store.Store, c *storetest.Clock, before func(month int)) {
	t.Helper()
	ctx := context.Background()
	ana, batch := ledger.User("100", "USD"), cambista.LedgerAccount("batch:1")
	for month := range 3 {
		if month > 0 {
			c.Add(32 * 24 * time.Hour)
		}
		before(month)
		for k := range 3 {
			mustTx(t, s, func(tx app.Tx) error {
				e, err := ledger.New(textEntry(fmt.Sprintf("month %d, %d", month, k)), "test", cambista.ID(10*month+k)).
					Move(ledger.World("USD"), ana, money.New(int64(1000*(month+1)+k), usd)).
					Move(ana, batch, money.New(300, usd)).Entry()
				if err != nil {
					return err
				}
				tx.Audit(&cambista.AuditEvent{Actor: "1", Action: "test.post", EntityType: "entry", EntityID: fmt.Sprint(month, k)})
				return tx.Post(ctx, e)
			})
			c.Add(time.Hour)
		}
	}
	if _, err := s.Seal(ctx); err != nil {
		t.Fatal(err)
	}
}

// history is what statements, reports and the checks read of the history
// writeHistory wrote: each must read the same whether the tables are
// partitioned or not.
type history struct {
	Verified   int64
	Violations []ledger.Violation
	State      *cambista.LedgerState
	Lines      [3][]*cambista.StatementLine // Postings of each month (the statement)
	Streamed   [3][]*cambista.StatementLine // StreamPostings of each month (the report)
	Opening    [4]int64                     // BalanceBefore each month, and after the last
	Days       map[time.Time]int64          // DailyPostings of the whole period (the dashboard)
	Events     [3][]*cambista.AuditEvent    // StreamAuditEvents of each month (the audit report)
	World      cambista.Balance
}

func readHistory(t *testing.T, s *store.Store) history {
	t.Helper()
	ctx := context.Background()
	ana := ledger.User("100", "USD")
	var h history
	var err error
	if h.Verified, err = app.VerifyAudit(ctx, s); err != nil {
		t.Fatal(err)
	}
	if h.Violations, err = app.CheckLedger(ctx, s); err != nil {
		t.Fatal(err)
	}
	h.Days = map[time.Time]int64{}
	err = s.View(ctx, func(tx app.Tx) error {
		var err error
		if h.State, err = tx.LedgerState(ctx); err != nil {
			return err
		}
		for m := range 3 {
			from, to := historyMonths[m], historyMonths[m+1]
			if h.Lines[m], err = tx.Postings(ctx, ana, from, to, 0, 100); err != nil {
				return err
			}
			h.Streamed[m] = nil
			if err := tx.StreamPostings(ctx, ana, from, to, func(l *cambista.StatementLine) error {
				h.Streamed[m] = append(h.Streamed[m], l)
				return nil
			}); err != nil {
				return err
			}
			if err := tx.StreamAuditEvents(ctx, from, to, func(ev *cambista.AuditEvent) error {
				h.Events[m] = append(h.Events[m], ev)
				return nil
			}); err != nil {
				return err
			}
		}
		for m := range 4 {
			if h.Opening[m], err = tx.BalanceBefore(ctx, ana, historyMonths[m], 0); err != nil {
				return err
			}
		}
		if err := tx.DailyPostings(ctx, ana, historyMonths[0], historyMonths[3], func(day time.Time, minor int64) { h.Days[day] = minor }); err != nil {
			return err
		}
		h.World, err = tx.Balance(ctx, ledger.World("USD"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// checkHistory checks what the reads found against what writeHistory
// wrote.
func checkHistory(t *testing.T, h history) {
	t.Helper()
	if h.Verified != 9 || len(h.Violations) != 0 {
		t.Errorf("audit verify: %d events, ledger check: %v; want 9 events and no violation", h.Verified, h.Violations)
	}
	var opening int64
	for m := range 3 {
		if len(h.Lines[m]) != 6 || len(h.Streamed[m]) != 6 || len(h.Events[m]) != 3 {
			t.Errorf("month %d: %d statement lines, %d report lines, %d audit events; want 6, 6, 3", m+1, len(h.Lines[m]), len(h.Streamed[m]), len(h.Events[m]))
		}
		if h.Opening[m] != opening {
			t.Errorf("balance before month %d: %d, want %d", m+1, h.Opening[m], opening)
		}
		opening += int64(3*1000*(m+1)+0+1+2) - 3*300
	}
	if h.Opening[3] != opening || h.World.Minor != -opening-9*300 {
		t.Errorf("balance after the history: %d, world %d; want %d and %d", h.Opening[3], h.World.Minor, opening, -opening-9*300)
	}
	if len(h.Days) != 3 {
		t.Errorf("daily postings %v, want 3 days", h.Days)
	}
}

// TestMonthlyPartitions writes history spanning three months, on SQLite
// and on partitioned PostgreSQL: audit verify, ledger check, statements,
// reports and the dashboard's daily sums read the same on both. On
// PostgreSQL each month's rows are in the month's partition; the third
// month's, written before its partition existed, first land in the
// DEFAULT partition and move into their own when it is prepared.
func TestMonthlyPartitions(t *testing.T) {
	read := map[string]history{}
	storetest.EachOnClock(t, historyStart, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		ctx := context.Background()
		pg := s.Dialect() == "postgres"
		writeHistory(t, s, c, func(month int) {
			if month < 2 {
				// The third month is left for later.
				if _, err := s.PreparePartitions(ctx, 0); err != nil {
					t.Fatal(err)
				}
			}
		})
		if pg {
			if n := count(t, s, `SELECT COUNT(*) FROM postings_default`); n != 12 {
				t.Fatalf("%d postings in the DEFAULT partition before March's exists, want 12", n)
			}
			names, err := s.PreparePartitions(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"postings_2026_03", "audit_events_2026_03", "postings_2026_04", "audit_events_2026_04"}; !slices.Equal(names, want) {
				t.Fatalf("prepared %v, want %v", names, want)
			}
			for _, table := range []string{"postings", "audit_events"} {
				var parts []string
				rows, err := s.DB().Query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
					WHERE i.inhparent = $1::regclass ORDER BY c.relname`, table)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var name string
					if err := rows.Scan(&name); err != nil {
						t.Fatal(err)
					}
					parts = append(parts, name)
				}
				rows.Close()
				// The migration prepared the month it ran in too.
				now := time.Now().UTC().Format("2006_01")
				want := []string{table + "_2026_01", table + "_2026_02", table + "_2026_03", table + "_2026_04", table + "_" + now, table + "_default"}
				slices.Sort(want)
				want = slices.Compact(want)
				if !slices.Equal(parts, want) {
					t.Errorf("partitions of %s: %v, want %v", table, parts, want)
				}
				perMonth := map[string]int64{"postings": 12, "audit_events": 3}[table]
				for m := range 3 {
					name := fmt.Sprintf("%s_2026_%02d", table, m+1)
					if n := count(t, s, `SELECT COUNT(*) FROM `+name); n != perMonth {
						t.Errorf("%s holds %d rows, want %d", name, n, perMonth)
					}
				}
				if n := count(t, s, `SELECT COUNT(*) FROM `+table+`_default`); n != 0 {
					t.Errorf("%s_default holds %d rows, want none", table, n)
				}
			}
		}
		h := readHistory(t, s)
		checkHistory(t, h)
		read[s.Dialect()] = h
	})
	if len(read) == 2 && !reflect.DeepEqual(read["sqlite"], read["postgres"]) {
		t.Errorf("partitioned PostgreSQL read\n%+v\nunpartitioned SQLite read\n%+v", read["postgres"], read["sqlite"])
	}
}

// TestPartitionMigration migrates a PostgreSQL database with three months
// of history down to unpartitioned tables and up again: every read gives
// what it gave before, and new rows continue the IDs and the audit chain.
func TestPartitionMigration(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t)
	c := storetest.NewClock(historyStart)
	open := func() *store.Store {
		s, err := store.Open(ctx, dsn, store.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	writeHistory(t, s, c, func(int) {})
	before := readHistory(t, s)
	checkHistory(t, before)
	p, err := goose.NewProvider(goose.DialectPostgres, s.DB(), os.DirFS(path.Join("..", "migrations", "postgres")), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, partitionsVersion-1); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'postings'::regclass`); n != 0 {
		t.Fatalf("postings has %d partitions after migrating down, want none", n)
	}
	s.Close()
	// A store of its own for each schema: prepared statements name tables.
	s = open()
	defer s.Close()
	if got := readHistory(t, s); !reflect.DeepEqual(got, before) {
		t.Fatalf("after migrating down and up, read\n%+v\nwant\n%+v", got, before)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM postings_2026_02`); n != 12 {
		t.Fatalf("postings_2026_02 holds %d rows after migrating up, want 12", n)
	}
	mustTx(t, s, func(tx app.Tx) error {
		e, err := ledger.New(textEntry("after"), "test", 99).Move(ledger.World("USD"), ledger.User("100", "USD"), money.New(1, usd)).Entry()
		if err != nil {
			return err
		}
		tx.Audit(&cambista.AuditEvent{Actor: "1", Action: "test.post", EntityType: "entry", EntityID: "after"})
		return tx.Post(ctx, e)
	})
	if n := count(t, s, `SELECT MIN(id) FROM postings WHERE account = 'user:100:USD' AND amount = 1`); n <= int64(before.Lines[2][5].ID) {
		t.Errorf("a new posting took ID %d, not after the migrated ones (last %d)", n, before.Lines[2][5].ID)
	}
	if n, err := app.VerifyAudit(ctx, s); err != nil || n != 10 {
		t.Errorf("audit verify after a new event: %d, %v; want 10 events", n, err)
	}
}

func count(t *testing.T, s *store.Store, q string) int64 {
	t.Helper()
	var n int64
	if err := s.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
