package store

import (
	"context"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

const transferColumns = `t.id, t.client_id, t.quote_id, t.status, t.from_country, t.to_country,
	t.from_currency, fc.exponent, fc.rounding, t.to_currency, tc.exponent, tc.rounding,
	t.send_minor, t.commission_minor, t.agent_id, t.agent_share_minor, t.receive_minor,
	t.beneficiary_name, t.beneficiary_bank, t.beneficiary_number, t.beneficiary_doc,
	t.cashier_id, COALESCE(t.batch_id, 0), t.reference, t.proof_url, t.reason, t.created_at, t.updated_at, t.from_balance`

const transferFrom = ` FROM transfers t JOIN currencies fc ON fc.code = t.from_currency JOIN currencies tc ON tc.code = t.to_currency`

func scanTransfer(sc scanner) (*cambista.Transfer, error) {
	var x cambista.Transfer
	var fromCode, fromRound, toCode, toRound string
	var fromExp, toExp int
	var send, commission, share, receive, created, updated int64
	b := &x.Beneficiary
	if err := sc.Scan(&x.ID, &x.ClientID, &x.QuoteID, &x.Status, &x.FromCountry, &x.ToCountry,
		&fromCode, &fromExp, &fromRound, &toCode, &toExp, &toRound,
		&send, &commission, &x.AgentID, &share, &receive,
		&b.Name, &b.Bank, &b.AccountNumber, &b.DocumentID,
		&x.CashierID, &x.BatchID, &x.Reference, &x.ProofURL, &x.Reason, &created, &updated, &x.FromBalance); err != nil {
		return nil, err
	}
	from, err := currency(fromCode, fromExp, fromRound)
	if err != nil {
		return nil, err
	}
	to, err := currency(toCode, toExp, toRound)
	if err != nil {
		return nil, err
	}
	x.Send, x.Commission, x.AgentShare = money.New(send, from), money.New(commission, from), money.New(share, from)
	x.Receive = money.New(receive, to)
	x.CreatedAt, x.UpdatedAt = cambista.FromMicros(created), cambista.FromMicros(updated)
	return &x, nil
}

func (t *tx) CreateTransfer(ctx context.Context, x *cambista.Transfer) error {
	x.CreatedAt, x.UpdatedAt = t.now, t.now
	b := x.Beneficiary
	return t.insert(ctx, "transfer", &x.ID, func(err error) error {
		if uniqueViolation(err) {
			return exists("transfer for quote", x.QuoteID)
		}
		return err
	}, `client_id, quote_id, status, from_currency, to_currency, from_country, to_country,
		send_minor, commission_minor, agent_id, agent_share_minor, receive_minor,
		beneficiary_name, beneficiary_bank, beneficiary_number, beneficiary_doc, created_at, updated_at, from_balance`,
		x.ClientID, x.QuoteID, x.Status, x.Send.Currency.Code, x.Receive.Currency.Code, x.FromCountry, x.ToCountry,
		x.Send.Minor, x.Commission.Minor, x.AgentID, x.AgentShare.Minor, x.Receive.Minor,
		b.Name, b.Bank, b.AccountNumber, b.DocumentID, cambista.Micros(t.now), cambista.Micros(t.now), x.FromBalance)
}

func (t *tx) Transfer(ctx context.Context, id cambista.ID) (*cambista.Transfer, error) {
	x, err := read[*cambista.Transfer](ctx, t, app.TransferRead(id))
	if err == nil && !t.readOnly {
		t.lockTransfer(id)
	}
	return x, err
}

func (t *tx) UpdateTransfer(ctx context.Context, x *cambista.Transfer) error {
	x.UpdatedAt = t.now
	args := []any{x.ID, x.Status, x.CashierID, nullID(x.BatchID), x.Reference, x.ProofURL, x.Reason, cambista.Micros(t.now)}
	if t.lockedTransfers[x.ID] {
		return t.hold(ctx, heldTransferUpdate, nil, args...)
	}
	res, err := t.exec(ctx, heldTransferUpdate.sql, args...)
	return affected(res, err, "transfer", x.ID)
}

// heldTransferUpdate is held when the transaction has read the transfer,
// and so locked it: the row is there until the commit, and only a database
// error can fail the update. Otherwise it must find its row, and runs at
// once.
var heldTransferUpdate = held{op: "UpdateTransfer", sql: `UPDATE transfers SET status = $2, cashier_id = $3, batch_id = $4,
	reference = $5, proof_url = $6, reason = $7, updated_at = $8 WHERE id = $1`}

func (t *tx) Transfers(ctx context.Context, f cambista.TransferFilter) ([]*cambista.Transfer, error) {
	var w where
	w.addIf(f.Status != "", "t.status = ?", f.Status)
	w.addIf(f.ClientID != "", "t.client_id = ?", f.ClientID)
	w.addIf(f.CashierID != "", "t.cashier_id = ?", f.CashierID)
	w.addIf(f.BatchID != 0, "t.batch_id = ?", f.BatchID)
	w.addIf(!f.From.IsZero(), "t.created_at >= ?", micros(f.From))
	w.addIf(!f.To.IsZero(), "t.created_at < ?", micros(f.To))
	w.addIf(f.Before != 0, "t.id < ?", f.Before)
	q := `SELECT ` + transferColumns + transferFrom + w.String() + ` ORDER BY t.id DESC` + w.limit(f.Limit)
	return queryAll(ctx, t, scanTransfer, q, w.args...)
}

func (t *tx) SentSince(ctx context.Context, user cambista.UserID, cur string, since time.Time) (int64, error) {
	var n int64
	err := t.row(ctx, `SELECT CAST(COALESCE(SUM(send_minor), 0) AS BIGINT) FROM transfers
		WHERE client_id = $1 AND from_currency = $2 AND created_at >= $3 AND status IN ('pending', 'taken', 'completed')`,
		user, cur, cambista.Micros(since)).Scan(&n)
	return n, err
}
