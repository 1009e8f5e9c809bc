package report

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// statement: the opening balance at the start of the first day, every
// posting with what it is (commission, bonus, withdrawal …) and its running
// balance, then the sums of each kind of line, the totals of credits and
// debits, and the closing balance at the end of the last day. The sum of an
// agent's commission lines is what the commissions report gives them for
// the same period; bonuses are lines of their own.
func (r *run) statement(ctx context.Context, h app.ReportReader) error {
	var cur money.Currency
	var balance, credits, debits money.Amount
	var cc cell
	byKind := map[string]*money.Amount{}
	var kinds []string // in the order they first appear
	row := make([]cell, 7)
	head := func(user *cambista.User, c *cambista.Currency, opening money.Amount) error {
		title := r.t(msgStatementTitle.Msg("User", fmt.Sprintf("%s (%s)", user.DisplayName, user.ID), "Currency", c.Code))
		err := r.begin(lblStatement, title, []column{
			{lblTime, 19, colText},
			{lblKind, 14, colText},
			{lblDescription, 26, colText},
			{lblReference, 18, colText},
			{lblCurrency, 9, colCode},
			{lblAmount, 16, colNum},
			{lblBalance, 16, colNum},
		})
		if err != nil {
			return err
		}
		cur = c.Currency
		zero := money.New(0, cur)
		balance, credits, debits = opening, zero, zero
		cc = code(zero)
		return r.row(append(row[:0], date(r.p.From), txt(r.l(lblOpening)), cell{}, cell{}, cc, cell{}, amt(balance)), true)
	}
	line := func(l *cambista.StatementLine) error {
		a := money.New(l.Minor, cur)
		var err error
		if balance, err = balance.Add(a); err != nil {
			return err
		}
		if a.Minor > 0 {
			credits, err = credits.Add(a)
		} else {
			debits, err = debits.Add(a)
		}
		if err != nil {
			return err
		}
		kind := l.Kind()
		sum := byKind[kind]
		if sum == nil {
			z := money.New(0, cur)
			sum, kinds = &z, append(kinds, kind)
			byKind[kind] = sum
		}
		if *sum, err = sum.Add(a); err != nil {
			return err
		}
		ref := cell{}
		if l.RefType != "" {
			ref = txt(fmt.Sprintf("%s #%d", i18n.Word(r.p.Lang, l.RefType), l.RefID))
		}
		return r.row(append(row[:0], at(l.Time), txt(i18n.Word(r.p.Lang, kind)), txt(r.t(l.Description.Message())), ref, cc, amt(a), amt(balance)), false)
	}
	if err := h.Statement(ctx, r.p.UserID, r.p.Currency, r.p.From, r.p.To, head, line); err != nil {
		return err
	}
	var totals [][]cell
	for _, k := range kinds {
		label := r.t(msgKindTotal.Msg("Kind", cambista.WordFor(k)))
		totals = append(totals, []cell{{}, txt(label), {}, {}, cc, amt(*byKind[k]), {}})
	}
	totals = append(totals,
		[]cell{{}, txt(r.l(lblCredits)), {}, {}, cc, amt(credits), {}},
		[]cell{{}, txt(r.l(lblDebits)), {}, {}, cc, amt(debits), {}},
		[]cell{date(r.p.through()), txt(r.l(lblClosing)), {}, {}, cc, {}, amt(balance)})
	for _, total := range totals {
		if err := r.row(total, true); err != nil {
			return err
		}
	}
	return nil
}

// sum adds amounts into totals, each kept in its amount's currency.
type sum []money.Amount

func (s *sum) add(as ...money.Amount) error {
	if *s == nil {
		*s = make(sum, len(as))
		for i, a := range as {
			(*s)[i] = money.New(0, a.Currency)
		}
	}
	for i, a := range as {
		t, err := (*s)[i].Add(a)
		if err != nil {
			return err
		}
		(*s)[i] = t
	}
	return nil
}

// entry returns m[k], added as a zero value the first time.
func entry[T any](m map[string]*T, k string) *T {
	v := m[k]
	if v == nil {
		v = new(T)
		m[k] = v
	}
	return v
}

// transactions: every transfer created in the period with what its
// refunds and reversals gave back so far, then the totals of the completed
// ones per pair.
func (r *run) transactions(ctx context.Context, h app.ReportReader) error {
	err := r.begin(lblTransactions, "", []column{
		{lblID, 8, colNum},
		{lblCreated, 19, colText},
		{lblClient, 20, colText},
		{lblStatus, 12, colText},
		{lblSendCurrency, 9, colCode},
		{lblSend, 15, colNum},
		{lblCommission, 13, colNum},
		{lblAgent, 20, colText},
		{lblAgentShare, 13, colNum},
		{lblReceiveCurrency, 9, colCode},
		{lblReceive, 17, colNum},
		{lblCashier, 20, colText},
		{lblBatch, 7, colNum},
		{lblReference, 18, colText},
		{lblRefunded, 14, colNum},
	})
	if err != nil {
		return err
	}
	refunded, err := h.Refunded(ctx)
	if err != nil {
		return err
	}
	type total struct {
		count int64
		sums  sum // send, commission, agent share, receive, refunded
	}
	totals := map[string]*total{}
	row := make([]cell, 15)
	err = h.Transfers(ctx, r.p.From, r.p.To, func(t *cambista.Transfer) error {
		back, ok := refunded[t.ID]
		if !ok {
			back = money.New(0, t.Send.Currency)
		}
		if t.Status == cambista.TransferCompleted {
			tt := entry(totals, cambista.Pair(t.Send.Currency.Code, t.Receive.Currency.Code))
			tt.count++
			if err := tt.sums.add(t.Send, t.Commission, t.AgentShare, t.Receive, back); err != nil {
				return err
			}
		}
		return r.row(append(row[:0], num(int64(t.ID)), at(t.CreatedAt), txt(string(t.ClientID)), txt(i18n.Word(r.p.Lang, t.Status)),
			code(t.Send), amt(t.Send), amt(t.Commission), txt(string(t.AgentID)), amt(t.AgentShare),
			code(t.Receive), amt(t.Receive), txt(string(t.CashierID)), optID(t.BatchID), txt(t.Reference), amt(back)), false)
	})
	if err != nil {
		return err
	}
	for _, pair := range slices.Sorted(maps.Keys(totals)) {
		tt := totals[pair]
		s := tt.sums
		label := r.t(msgCompleted.Msg("Pair", pair, "Count", tt.count))
		err := r.row(append(row[:0], txt(label), cell{}, cell{}, cell{}, code(s[0]), amt(s[0]), amt(s[1]), cell{}, amt(s[2]),
			code(s[3]), amt(s[3]), cell{}, cell{}, cell{}, amt(s[4])), true)
		if err != nil {
			return err
		}
	}
	return nil
}

// batches: every batch closed in the period with its summary, the batches
// opened in it and still open (without one), then the totals of the closed
// ones per pair.
func (r *run) batches(ctx context.Context, h app.ReportReader) error {
	err := r.begin(lblBatches, "", []column{
		{lblID, 6, colNum},
		{lblCashier, 14, colText},
		{lblBase, 7, colCode},
		{lblQuote, 9, colCode},
		{lblStatus, 9, colText},
		{lblOpened, 17, colText},
		{lblClosed, 17, colText},
		{lblCapital, 16, colNum},
		{lblCostRate, 12, colNum},
		{lblTransfers, 13, colNum},
		{lblPaidOut, 16, colNum},
		{lblCost, 14, colNum},
		{lblCollected, 14, colNum},
		{lblRefunded, 14, colNum},
		{lblGrossProfit, 14, colNum},
		{lblAgentCommissions, 19, colNum},
		{lblNetProfit, 14, colNum},
		{lblReturned, 16, colNum},
		{lblAdjustments, 16, colNum},
	})
	if err != nil {
		return err
	}
	adjustments, err := h.Adjustments(ctx)
	if err != nil {
		return err
	}
	// A pair's totals add up what flowed through its batches. Capital is
	// not among them: the same money funds batch after batch, so a sum of
	// capitals counts it again each time.
	type total struct {
		transfers int64
		sums      sum // paid out, cost, collected, refunded, gross, agent commissions, net, returned, adjustments
	}
	totals := map[string]*total{}
	row := make([]cell, 19)
	err = h.Batches(ctx, r.p.From, r.p.To, func(b *cambista.Batch) error {
		row = append(row[:0], num(int64(b.ID)), txt(string(b.CashierID)), txt(b.Base), txt(b.Quote), txt(i18n.Word(r.p.Lang, b.Status)),
			at(b.OpenedAt), cell{}, amt(b.Capital), rate(b.CostRate))
		s := b.Summary
		if s == nil {
			row = append(row, make([]cell, 10)...)
			return r.row(row, false)
		}
		row[6] = at(b.ClosedAt)
		adjusted, ok := adjustments[b.ID]
		if !ok {
			adjusted = money.New(0, s.Collected.Currency)
		}
		row = append(row, num(int64(s.Transfers)), amt(s.PaidOut), amt(s.Cost), amt(s.Collected), amt(s.Refunded), amt(s.GrossProfit),
			amt(s.AgentCommissions), amt(s.NetProfit), amt(s.Returned), amt(adjusted))
		tt := entry(totals, cambista.Pair(b.Base, b.Quote))
		tt.transfers += int64(s.Transfers)
		if err := tt.sums.add(s.PaidOut, s.Cost, s.Collected, s.Refunded, s.GrossProfit, s.AgentCommissions, s.NetProfit, s.Returned, adjusted); err != nil {
			return err
		}
		return r.row(row, false)
	})
	if err != nil {
		return err
	}
	for _, pair := range slices.Sorted(maps.Keys(totals)) {
		tt := totals[pair]
		s := tt.sums
		err := r.row(append(row[:0], txt(r.l(lblTotal)+" "+pair), cell{}, code(s[1]), code(s[0]), cell{}, cell{}, cell{},
			cell{}, cell{}, num(tt.transfers), amt(s[0]), amt(s[1]), amt(s[2]), amt(s[3]), amt(s[4]), amt(s[5]), amt(s[6]), amt(s[7]), amt(s[8])), true)
		if err != nil {
			return err
		}
	}
	return nil
}

// commissions: per agent and currency, the transfers they referred that
// were completed in the period and the sum of their shares, then the
// totals per currency.
func (r *run) commissions(ctx context.Context, h app.ReportReader) error {
	err := r.begin(lblCommissions, "", []column{
		{lblAgent, 20, colText},
		{lblName, 28, colText},
		{lblCurrency, 9, colCode},
		{lblTransfers, 13, colNum},
		{lblCommission, 18, colNum},
	})
	if err != nil {
		return err
	}
	type total struct {
		transfers int64
		share     sum
	}
	totals := map[string]*total{}
	row := make([]cell, 5)
	err = h.Commissions(ctx, r.p.From, r.p.To, func(c *cambista.AgentCommission) error {
		tt := entry(totals, c.Share.Currency.Code)
		tt.transfers += int64(c.Transfers)
		if err := tt.share.add(c.Share); err != nil {
			return err
		}
		return r.row(append(row[:0], txt(string(c.AgentID)), txt(c.AgentName), code(c.Share), num(int64(c.Transfers)), amt(c.Share)), false)
	})
	if err != nil {
		return err
	}
	for _, cur := range slices.Sorted(maps.Keys(totals)) {
		tt := totals[cur]
		if err := r.row(append(row[:0], txt(r.l(lblTotal)), cell{}, code(tt.share[0]), num(tt.transfers), amt(tt.share[0])), true); err != nil {
			return err
		}
	}
	return nil
}

// hashPrefix is enough of an event's hash to compare with the chain.
const hashPrefix = 16

// audit: every audit event of the period, in chain order, and their count.
func (r *run) audit(ctx context.Context, a app.AuditReader) error {
	err := r.begin(lblAudit, "", []column{
		{lblSeq, 8, colNum},
		{lblTime, 19, colText},
		{lblActor, 20, colText},
		{lblAction, 20, colText},
		{lblEntity, 20, colText},
		{lblKey, 28, colText},
		{lblHash, 18, colText},
	})
	if err != nil {
		return err
	}
	var n int64
	row := make([]cell, 7)
	err = a.Events(ctx, r.p.From, r.p.To, func(ev *cambista.AuditEvent) error {
		n++
		return r.row(append(row[:0], num(ev.Seq), at(ev.Time), txt(ev.Actor), txt(string(ev.Action)),
			txt(ev.EntityType+" "+ev.EntityID), txt(ev.IdempotencyKey), txt(ev.Hash[:min(hashPrefix, len(ev.Hash))])), false)
	})
	if err != nil {
		return err
	}
	return r.row(append(row[:0], txt(r.t(msgEvents.Msg("Count", n))), cell{}, cell{}, cell{}, cell{}, cell{}, cell{}), true)
}
