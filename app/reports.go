package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
)

// Reports are written while their rows are read, so that one of a million
// rows never sits in memory. The renderer passes ExportReport (or
// ExportAuditReport) a function that writes the whole report; the use case
// authorizes the actor once, opens one read-only transaction with
// Store.Stream, which never runs a function twice (a retry would write the
// rows again), and calls the function with a reader over that snapshot.
// Reports read the read replica (Store.StreamReplica) when there is one;
// the audit log's seal it first and read with a Fresh context, so that
// they hold every event committed before they were asked for.
// The reader's methods hand the rows to callbacks as they arrive from the
// database, and the renderer writes each out before the next is read.
// Every figure of a report thus comes from one snapshot. The reader is
// valid only until the function returns.

// ReportReader reads the business's history for a report. Periods are
// [from, to).
type ReportReader struct{ tx Tx }

// AuditReader reads the audit log for a report.
type AuditReader struct{ tx Tx }

// ExportReport runs fn with a reader of one read-only snapshot (of the read
// replica, if there is one), once the actor may export reports. It returns fn's error, EFORBIDDEN, or
// EINTERNAL.
func (s *Service) ExportReport(ctx context.Context, fn func(ReportReader) error) error {
	if err := cambista.Authorize(cambista.ActorFromContext(ctx), cambista.ActExportReports); err != nil {
		return err
	}
	return s.store.StreamReplica(ctx, func(tx Tx) error { return fn(ReportReader{tx}) })
}

// ExportAuditReport runs fn with a reader of the audit log, once the actor
// may read it. It seals the pending events first, so that the reader holds
// every event committed before the report was asked for. It returns fn's
// error, EFORBIDDEN, or EINTERNAL.
func (s *Service) ExportAuditReport(ctx context.Context, fn func(AuditReader) error) error {
	if err := cambista.Authorize(cambista.ActorFromContext(ctx), cambista.ActReadAudit); err != nil {
		return err
	}
	if _, err := s.store.Seal(ctx); err != nil {
		return err
	}
	return s.store.StreamReplica(Fresh(ctx), func(tx Tx) error { return fn(AuditReader{tx}) })
}

// Statement reads a user's account in a currency: it calls head with the
// user, the currency and the balance at from, then line with each posting
// of the period, in order. An unknown user or currency is ENOTFOUND, before
// head is called.
func (r ReportReader) Statement(ctx context.Context, user cambista.UserID, currency string, from, to time.Time,
	head func(*cambista.User, *cambista.Currency, money.Amount) error, line func(*cambista.StatementLine) error) error {
	u, err := r.tx.User(ctx, user)
	if err != nil {
		return err
	}
	cur, err := r.tx.Currency(ctx, currency)
	if err != nil {
		return err
	}
	account := ledger.User(u.ID, cur.Code)
	opening, err := r.tx.BalanceBefore(ctx, account, from, 0)
	if err != nil {
		return err
	}
	if err := head(u, cur, money.New(opening, cur.Currency)); err != nil {
		return err
	}
	return r.tx.StreamPostings(ctx, account, from, to, line)
}

// Transfers calls fn with each transfer created in the period, in order of
// ID.
func (r ReportReader) Transfers(ctx context.Context, from, to time.Time, fn func(*cambista.Transfer) error) error {
	return r.tx.StreamTransfers(ctx, from, to, fn)
}

// Batches calls fn with each batch closed in the period, and each still
// open that was opened in it, in order of ID.
func (r ReportReader) Batches(ctx context.Context, from, to time.Time, fn func(*cambista.Batch) error) error {
	return r.tx.StreamBatches(ctx, from, to, fn)
}

// Adjustments returns, by batch, what refunds of its transfers made after
// it closed gave back: the house bore them, beside the batch's stored
// summary. It is read whole, before a stream of batches starts.
func (r ReportReader) Adjustments(ctx context.Context) (map[cambista.ID]money.Amount, error) {
	return r.refundSums(ctx, cambista.RefundFilter{Status: cambista.RefundPosted, Charged: cambista.ChargedHouse},
		func(f *cambista.Refund) cambista.ID { return f.BatchID })
}

// Refunded returns, by transfer, what its refunds and reversals posted so
// far gave back, in its send currency. It is read whole, before a stream
// of transfers starts.
func (r ReportReader) Refunded(ctx context.Context) (map[cambista.ID]money.Amount, error) {
	return r.refundSums(ctx, cambista.RefundFilter{Status: cambista.RefundPosted},
		func(f *cambista.Refund) cambista.ID { return f.TransferID })
}

// refundSums adds up the amounts of the refunds f selects by the ID key
// gives each.
func (r ReportReader) refundSums(ctx context.Context, f cambista.RefundFilter, key func(*cambista.Refund) cambista.ID) (map[cambista.ID]money.Amount, error) {
	refunds, err := r.tx.Refunds(ctx, f)
	if err != nil {
		return nil, err
	}
	out := map[cambista.ID]money.Amount{}
	for _, rf := range refunds {
		k := key(rf)
		sum, ok := out[k]
		if !ok {
			sum = money.New(0, rf.Amount.Currency)
		}
		if out[k], err = sum.Add(rf.Amount); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Commissions calls fn with each agent's commissions per currency over the
// transfers completed in the period, by agent ID and currency.
func (r ReportReader) Commissions(ctx context.Context, from, to time.Time, fn func(*cambista.AgentCommission) error) error {
	return r.tx.StreamAgentCommissions(ctx, from, to, fn)
}

// Events calls fn with each audit event of the period, in chain order.
func (r AuditReader) Events(ctx context.Context, from, to time.Time, fn func(*cambista.AuditEvent) error) error {
	return r.tx.StreamAuditEvents(ctx, from, to, fn)
}
