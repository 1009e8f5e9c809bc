package storetest_test

import (
	"context"
	"os"
	"path"
	"reflect"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// entryKindsVersion is the migration that turned entries' English words
// into a kind and parameters.
const entryKindsVersion = 9

var gooseDialects = map[string]goose.Dialect{"sqlite": goose.DialectSQLite3, "postgres": goose.DialectPostgres}

func textEntry(words string) cambista.EntryDescription {
	return cambista.EntryDescription{Kind: cambista.EntryText, Params: map[string]string{"Text": words}}
}

// postCredit posts an entry crediting 1.00 USD to account.
func postCredit(t *testing.T, s *store.Store, d cambista.EntryDescription, ref cambista.ID, account cambista.LedgerAccount) {
	t.Helper()
	mustTx(t, s, func(tx app.Tx) error {
		e, err := ledger.New(d, "test", ref).Move(ledger.World("USD"), account, money.New(100, usd)).Entry()
		if err != nil {
			return err
		}
		return tx.Post(context.Background(), e)
	})
}

// statementLines reads every posting on account, in order.
func statementLines(t *testing.T, s *store.Store, account cambista.LedgerAccount) []*cambista.StatementLine {
	t.Helper()
	var lines []*cambista.StatementLine
	err := s.View(context.Background(), func(tx app.Tx) error {
		var err error
		lines, err = tx.Postings(context.Background(), account, time.Time{}, time.Time{}, 0, 100)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestEntryKindsMigration writes journal entries as they were stored before
// entries had kinds (English words in a description column), migrates, and
// posts the same descriptions anew: the migrated entries read exactly the
// words of the new ones in both languages, the words they had in English,
// and migrating down gives the old words back.
func TestEntryKindsMigration(t *testing.T) {
	old := []struct {
		words string
		ref   cambista.ID
		want  cambista.EntryDescription
	}{
		{"transfer 7", 7, cambista.TransferEntry(7)},
		{"batch 2 capital", 2, cambista.BatchCapitalEntry(2)},
		{"batch 2 capital returned", 2, cambista.BatchReturnedEntry(2)},
		{"withdrawal", 5, cambista.WithdrawalEntry()},
		// Words of a kind naming another entity than the entry's were never
		// read as that kind's, so they stay words.
		{"transfer 8", 7, textEntry("transfer 8")},
		{`seed "{{.ID}}" \ 100%`, 1, textEntry(`seed "{{.ID}}" \ 100%`)},
	}
	ana := ledger.User("100", "USD")
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.OpenEmpty(t, d, store.Options{})
			db := s.DB()
			p, err := goose.NewProvider(gooseDialects[d], db, os.DirFS(path.Join("..", "migrations", d)), goose.WithDisableGlobalRegistry(true))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, entryKindsVersion-1); err != nil {
				t.Fatal(err)
			}
			for _, o := range old {
				var id int64
				if err := db.QueryRow(`INSERT INTO journal_entries (time, description, ref_type, ref_id) VALUES (1, $1, 'test', $2) RETURNING id`,
					o.words, o.ref).Scan(&id); err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec(`INSERT INTO postings (entry_id, account, currency, amount) VALUES ($1, $2, 'USD', 100), ($1, 'world:USD', 'USD', -100)`,
					id, string(ana)); err != nil {
					t.Fatal(err)
				}
			}
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) == 0 || applied[0] != entryKindsVersion {
				t.Fatalf("applied %v, want %d first", applied, entryKindsVersion)
			}
			for _, o := range old {
				postCredit(t, s, o.want, o.ref, ana)
			}
			lines := statementLines(t, s, ana)
			if len(lines) != 2*len(old) {
				t.Fatalf("%d lines, want %d", len(lines), 2*len(old))
			}
			for i, o := range old {
				migrated, posted := lines[i], lines[len(old)+i]
				if !reflect.DeepEqual(migrated.Description, posted.Description) {
					t.Errorf("%q migrated to %+v, posted now as %+v", o.words, migrated.Description, posted.Description)
				}
				if got := i18n.T(i18n.EN, migrated.Description.Message()); got != o.words {
					t.Errorf("%q reads %q in English after the migration", o.words, got)
				}
				for _, lang := range []i18n.Lang{i18n.EN, i18n.ES} {
					if got, want := i18n.T(lang, migrated.Description.Message()), i18n.T(lang, posted.Description.Message()); got != want {
						t.Errorf("%s: %q migrated reads %q, posted now %q", lang, o.words, got, want)
					}
				}
			}
			if _, err := p.DownTo(ctx, entryKindsVersion-1); err != nil {
				t.Fatal(err)
			}
			rows, err := db.Query(`SELECT description FROM journal_entries ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var words []string
			for rows.Next() {
				var w string
				if err := rows.Scan(&w); err != nil {
					t.Fatal(err)
				}
				words = append(words, w)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			for i, o := range old {
				if words[i] != o.words || words[len(old)+i] != o.words {
					t.Errorf("down: %q and %q, want %q for both", words[i], words[len(old)+i], o.words)
				}
			}
		})
	}
}

// TestEntryRewording rewords an entry's message after an entry was posted:
// the entry reads the new words, because it keeps its kind and parameters,
// not the words it was posted with.
func TestEntryRewording(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ana := ledger.User("100", "USD")
		postCredit(t, s, cambista.TransferEntry(7), 7, ana)
		was := cambista.MsgEntryTransfer
		t.Cleanup(func() { cambista.MsgEntryTransfer = was })
		cambista.MsgEntryTransfer.Text = "wire {{.ID}}"
		lines := statementLines(t, s, ana)
		if len(lines) != 1 {
			t.Fatalf("%d lines, want 1", len(lines))
		}
		if got := i18n.T(i18n.EN, lines[0].Description.Message()); got != "wire 7" {
			t.Errorf("a past transfer entry reads %q, want the new words %q", got, "wire 7")
		}
	})
}
