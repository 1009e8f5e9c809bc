package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// Dashboard is the business at a glance, for a superuser.
type Dashboard struct {
	Waiting     cambista.Waiting
	OpenBatches []*BatchStatus
	Liquidity   []Liquidity
	Alerts      []*cambista.Alert // liquidity and exposure alerts not cleared
}

// Liquidity is what one currency's money amounts to: the sum of the users'
// balances (what the business owes them) and each house account.
type Liquidity struct {
	Currency money.Currency
	Users    money.Amount
	House    []cambista.Balance
}

// Dashboard reads the counts of what waits, the active alerts, every open
// batch with its live status, and the liquidity per currency, from one
// snapshot.
func (s *Service) Dashboard(ctx context.Context) (*Dashboard, error) {
	return view(ctx, s, cambista.ActExportReports, func(tx Tx, _ cambista.Actor) (*Dashboard, error) {
		waiting, err := tx.Waiting(ctx)
		if err != nil {
			return nil, err
		}
		d := &Dashboard{Waiting: waiting}
		if d.Alerts, err = tx.ActiveAlerts(ctx); err != nil {
			return nil, err
		}
		if d.OpenBatches, err = batchList(ctx, tx, cambista.BatchFilter{Status: cambista.BatchOpen, Limit: 1000}); err != nil {
			return nil, err
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return nil, err
		}
		byCode := map[string]*Liquidity{}
		for _, c := range currencies {
			d.Liquidity = append(d.Liquidity, Liquidity{Currency: c.Currency, Users: money.New(0, c.Currency)})
		}
		for i := range d.Liquidity {
			byCode[d.Liquidity[i].Currency.Code] = &d.Liquidity[i]
		}
		err = tx.UserBalanceTotals(ctx, func(cur string, minor int64) {
			if l := byCode[cur]; l != nil {
				l.Users = money.New(minor, l.Currency)
			}
		})
		if err != nil {
			return nil, err
		}
		err = tx.HouseBalances(ctx, func(a cambista.LedgerAccount, cur string, minor int64) {
			if l := byCode[cur]; l != nil {
				l.House = append(l.House, cambista.Balance{Account: a, Currency: cur, Minor: minor})
			}
		})
		return d, err
	})
}

// Volume is what clients paid in (commission included) per UTC day and
// send currency, counted when their transfers completed.
type Volume struct {
	Days       []time.Time
	ByCurrency map[string][]money.Amount // one amount per day
}

// DailyVolume returns the volume of the last days (today included), for a
// superuser.
func (s *Service) DailyVolume(ctx context.Context, days int) (*Volume, error) {
	return view(ctx, s, cambista.ActExportReports, func(tx Tx, _ cambista.Actor) (*Volume, error) {
		to := startOfDay(tx.Now()).Add(24 * time.Hour)
		from := to.Add(-time.Duration(days) * 24 * time.Hour)
		v := &Volume{ByCurrency: map[string][]money.Amount{}}
		for d := from; d.Before(to); d = d.Add(24 * time.Hour) {
			v.Days = append(v.Days, d)
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range currencies {
			amounts := make([]money.Amount, len(v.Days))
			for i := range amounts {
				amounts[i] = money.New(0, c.Currency)
			}
			seen := false
			err := tx.DailyPostings(ctx, ledger.House(ledger.HouseReceipts, c.Code), from, to, func(day time.Time, minor int64) {
				if i := int(day.Sub(from) / (24 * time.Hour)); i >= 0 && i < len(amounts) {
					amounts[i], seen = money.New(minor, c.Currency), true
				}
			})
			if err != nil {
				return nil, err
			}
			if seen {
				v.ByCurrency[c.Code] = amounts
			}
		}
		return v, nil
	})
}
