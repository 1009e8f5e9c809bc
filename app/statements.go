package app

import (
	"context"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// StatementQuery asks for an account's statement over [From, To). Zero
// times are open ends. After and Limit page through long statements: pass
// the previous page's Next as After.
type StatementQuery struct {
	UserID   cambista.UserID // the account's owner; the actor when empty
	Currency string
	From, To time.Time
	After    cambista.ID
	Limit    int
}

// Line is one posting of a statement with the balance after it.
type Line struct {
	cambista.StatementLine
	Amount  money.Amount
	Balance money.Amount
}

// Statement is an exact account statement: the opening balance at From,
// every posting in order with its running balance, and the closing balance
// at To. A page carries the balance before its first line as Opening.
type Statement struct {
	Account  cambista.LedgerAccount
	Currency money.Currency
	From, To time.Time
	Opening  money.Amount
	Lines    []Line
	Closing  money.Amount // at To, whatever the page
	Next     cambista.ID  // After for the next page; 0 on the last page
}

// Statement returns the statement of a user's account in a currency: one's
// own, or anyone's for a superuser.
func (s *Service) Statement(ctx context.Context, q StatementQuery) (*Statement, error) {
	return viewReplica(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*Statement, error) {
		if q.UserID == "" {
			q.UserID = actor.UserID
		}
		if err := ownOrSuper(actor, q.UserID); err != nil {
			return nil, err
		}
		cur, err := tx.Currency(ctx, strings.ToUpper(q.Currency))
		if err != nil {
			return nil, err
		}
		return statement(ctx, tx, ledger.User(q.UserID, cur.Code), cur.Currency, q)
	})
}

// BatchStatement returns the statement of a batch's capital account: its
// cashier's, or any for a superuser.
func (s *Service) BatchStatement(ctx context.Context, id cambista.ID, q StatementQuery) (*Statement, error) {
	return viewReplica(ctx, s, cambista.ActOpenBatch, func(tx Tx, actor cambista.Actor) (*Statement, error) {
		b, err := tx.Batch(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := batchOwner(actor, b); err != nil {
			return nil, err
		}
		return statement(ctx, tx, ledger.Batch(b.ID), b.Capital.Currency, q)
	})
}

func statement(ctx context.Context, tx Tx, account cambista.LedgerAccount, cur money.Currency, q StatementQuery) (*Statement, error) {
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDateRange.Msg())
	}
	if q.Limit <= 0 || q.Limit > 5000 {
		q.Limit = 500
	}
	st := &Statement{Account: account, Currency: cur, From: q.From, To: q.To}
	opening, err := tx.BalanceBefore(ctx, account, q.From, q.After)
	if err != nil {
		return nil, err
	}
	lines, err := tx.Postings(ctx, account, q.From, q.To, q.After, q.Limit+1)
	if err != nil {
		return nil, err
	}
	if len(lines) > q.Limit {
		lines = lines[:q.Limit]
		st.Next = lines[len(lines)-1].ID
	}
	st.Opening = money.New(opening, cur)
	running := st.Opening
	for _, l := range lines {
		amt := money.New(l.Minor, cur)
		if running, err = running.Add(amt); err != nil {
			return nil, err
		}
		st.Lines = append(st.Lines, Line{StatementLine: *l, Amount: amt, Balance: running})
	}
	closing := running
	if st.Next != 0 || q.After != 0 {
		// A page: the closing balance is the account's at To, not the
		// page's last line.
		end := q.To
		if end.IsZero() {
			end = tx.Now().Add(time.Microsecond)
		}
		c, err := tx.BalanceBefore(ctx, account, end, 0)
		if err != nil {
			return nil, err
		}
		closing = money.New(c, cur)
	}
	st.Closing = closing
	return st, nil
}

// CashierReport is a cashier's batches opened in a period, with the sum of
// their summaries per pair.
type CashierReport struct {
	CashierID cambista.UserID
	From, To  time.Time
	Batches   []*BatchStatus
	Totals    map[string]*cambista.BatchSummary // by pair "USD/VES"
}

// CashierStatement reports a cashier's batches: one's own, or any
// cashier's for a superuser.
func (s *Service) CashierStatement(ctx context.Context, cashier cambista.UserID, from, to time.Time) (*CashierReport, error) {
	return viewReplica(ctx, s, cambista.ActOpenBatch, func(tx Tx, actor cambista.Actor) (*CashierReport, error) {
		if cashier == "" {
			cashier = actor.UserID
		}
		if cashier != actor.UserID && !actor.Roles.Has(cambista.RoleSuperuser) {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", cambista.WordFor(string(cambista.ActOpenBatch))))
		}
		batches, err := tx.Batches(ctx, cambista.BatchFilter{CashierID: cashier, From: from, To: to, Limit: 10000})
		if err != nil {
			return nil, err
		}
		r := &CashierReport{CashierID: cashier, From: from, To: to, Totals: map[string]*cambista.BatchSummary{}}
		for _, b := range batches {
			st, err := batchStatus(ctx, tx, b)
			if err != nil {
				return nil, err
			}
			r.Batches = append(r.Batches, st)
			pair := cambista.Pair(b.Base, b.Quote)
			if r.Totals[pair] == nil {
				r.Totals[pair] = zeroSummary(st.Summary)
			}
			if err := addSummary(r.Totals[pair], st.Summary); err != nil {
				return nil, err
			}
		}
		return r, nil
	})
}

func zeroSummary(s *cambista.BatchSummary) *cambista.BatchSummary {
	z := func(a money.Amount) money.Amount { return money.New(0, a.Currency) }
	return &cambista.BatchSummary{PaidOut: z(s.PaidOut), Cost: z(s.Cost), Collected: z(s.Collected), Refunded: z(s.Refunded), GrossProfit: z(s.GrossProfit),
		AgentCommissions: z(s.AgentCommissions), NetProfit: z(s.NetProfit), Returned: z(s.Returned)}
}

func addSummary(total, s *cambista.BatchSummary) error {
	total.Transfers += s.Transfers
	for _, p := range []struct{ into, add *money.Amount }{
		{&total.PaidOut, &s.PaidOut}, {&total.Cost, &s.Cost}, {&total.Collected, &s.Collected}, {&total.Refunded, &s.Refunded},
		{&total.GrossProfit, &s.GrossProfit}, {&total.AgentCommissions, &s.AgentCommissions},
		{&total.NetProfit, &s.NetProfit}, {&total.Returned, &s.Returned},
	} {
		sum, err := p.into.Add(*p.add)
		if err != nil {
			return err
		}
		*p.into = sum
	}
	return nil
}
