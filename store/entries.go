package store

import (
	"context"
	"time"

	"github.com/cambista/cambista"
)

// EntryPostings calls fn with each posting of the journal entries that an
// entity caused (ref_type, ref_id), in entry and posting order. It is a
// read of the panel's transfer page.
func (t *tx) EntryPostings(ctx context.Context, refType string, refID cambista.ID,
	fn func(entry cambista.ID, at time.Time, description cambista.EntryDescription, account cambista.LedgerAccount, currency string, minor int64)) error {
	rows, err := t.query(ctx, `SELECT e.id, e.time, e.kind, e.params, p.account, p.currency, p.amount
		FROM postings p JOIN journal_entries e ON e.id = p.entry_id
		WHERE e.ref_type = $1 AND e.ref_id = $2
		ORDER BY e.id, p.id`, refType, int64(refID))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var entry, at, minor int64
		var description cambista.EntryDescription
		var account, currency string
		if err := rows.Scan(&entry, &at, &description.Kind, entryParams{&description.Params}, &account, &currency, &minor); err != nil {
			return err
		}
		fn(cambista.ID(entry), cambista.FromMicros(at), description, cambista.LedgerAccount(account), currency, minor)
	}
	return rows.Err()
}
