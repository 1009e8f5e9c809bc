package app

import (
	"context"
	"strconv"
	"time"

	"github.com/cambista/cambista"
)

// auditVerifiedAt is the setting that records when the whole audit chain
// was last verified unbroken (UTC microseconds), by the CLI or the panel.
const auditVerifiedAt = "audit.verified_at"

// actOperations names the operations read when it is refused.
const actOperations cambista.Action = "operations.read"

// Operations is what operators watch: the store's figures and when the
// audit chain was last verified unbroken (zero if never).
type Operations struct {
	cambista.Operations
	AuditVerified time.Time
}

// Operations reads the operators' figures in one snapshot. Only the
// process itself (cambista.SystemActor, which the metrics collector acts
// as) may: the figures are the whole business's, and no person's request
// reaches them.
func (s *Service) Operations(ctx context.Context) (*Operations, error) {
	if cambista.ActorFromContext(ctx) != cambista.SystemActor {
		return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", string(actOperations)))
	}
	var out *Operations
	err := s.store.View(ctx, func(tx Tx) error {
		ops, err := tx.Operations(ctx)
		if err != nil {
			return err
		}
		out = &Operations{Operations: *ops}
		v, err := tx.Setting(ctx, auditVerifiedAt)
		if err != nil || v == "" {
			return err
		}
		us, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return cambista.Internal(err)
		}
		out.AuditVerified = cambista.FromMicros(us)
		return nil
	})
	if err != nil {
		return nil, named(actOperations, err)
	}
	return out, nil
}

// recordVerified notes that the whole chain was just verified unbroken.
func recordVerified(ctx context.Context, store Store) error {
	return store.WithTx(ctx, func(tx Tx) error {
		return tx.SetSetting(ctx, auditVerifiedAt, strconv.FormatInt(cambista.Micros(tx.Now()), 10), cambista.SystemActor.UserID)
	})
}
