package app

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/audit"
	"github.com/cambista/cambista/ledger"
)

// VerifyAudit seals the events still pending, then walks the whole audit
// chain in pages and returns how many events it verified, or an
// *audit.BrokenError naming the first broken sequence number. So the count
// covers every event committed before the call. An unbroken chain's
// verification is recorded (the time, in a setting), for the operators'
// metric of the last one.
func VerifyAudit(ctx context.Context, store Store) (int64, error) {
	if _, err := store.Seal(ctx); err != nil {
		return 0, err
	}
	var v audit.Verifier
	var after int64
	for {
		var page []*cambista.AuditEvent
		err := store.View(ctx, func(tx Tx) error {
			var err error
			page, err = tx.AuditEvents(ctx, after, 1000)
			return err
		})
		if err != nil {
			return v.Count(), err
		}
		if len(page) == 0 {
			return v.Count(), recordVerified(ctx, store)
		}
		for _, ev := range page {
			if err := v.Next(ev); err != nil {
				return v.Count(), err
			}
		}
		after = page[len(page)-1].Seq
	}
}

// CheckLedger reads the ledger in one snapshot and returns every broken
// invariant.
func CheckLedger(ctx context.Context, store Store) ([]ledger.Violation, error) {
	var st *cambista.LedgerState
	err := store.View(ctx, func(tx Tx) error {
		var err error
		st, err = tx.LedgerState(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ledger.Check(st), nil
}

// VerifyAudit is VerifyAudit for an actor allowed to read the audit log.
func (s *Service) VerifyAudit(ctx context.Context) (int64, error) {
	if err := cambista.Authorize(cambista.ActorFromContext(ctx), cambista.ActReadAudit); err != nil {
		return 0, err
	}
	return VerifyAudit(ctx, s.store)
}
