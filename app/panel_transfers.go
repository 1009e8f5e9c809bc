package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// TransferPostings returns the journal entries posted for a transfer (its
// completion), each with its postings: the transfer's client's, or any
// for staff, as Transfer allows.
func (s *Service) TransferPostings(ctx context.Context, id cambista.ID) ([]*cambista.JournalEntry, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]*cambista.JournalEntry, error) {
		t, err := tx.Transfer(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.ClientID != actor.UserID && !actor.Can(cambista.ActTakeTransfer) {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotYourTransfer.Msg("ID", t.ID))
		}
		type posting struct {
			account  cambista.LedgerAccount
			currency string
			minor    int64
		}
		var entries []*cambista.JournalEntry
		var legs [][]posting
		err = tx.EntryPostings(ctx, "transfer", t.ID, func(entry cambista.ID, at time.Time, description cambista.EntryDescription, account cambista.LedgerAccount, currency string, minor int64) {
			if n := len(entries); n == 0 || entries[n-1].ID != entry {
				entries = append(entries, &cambista.JournalEntry{ID: entry, Time: at, Description: description, RefType: "transfer", RefID: t.ID})
				legs = append(legs, nil)
			}
			legs[len(legs)-1] = append(legs[len(legs)-1], posting{account, currency, minor})
		})
		if err != nil {
			return nil, err
		}
		currencies := map[string]money.Currency{}
		for i, e := range entries {
			for _, p := range legs[i] {
				cur, ok := currencies[p.currency]
				if !ok {
					c, err := tx.Currency(ctx, p.currency)
					if err != nil {
						return nil, err
					}
					cur = c.Currency
					currencies[p.currency] = cur
				}
				e.Postings = append(e.Postings, cambista.Posting{Account: p.account, Amount: money.New(p.minor, cur)})
			}
		}
		return entries, nil
	})
}
