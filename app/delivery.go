package app

import (
	"context"

	"github.com/cambista/cambista"
)

// Single-entity reads for the outbox worker, which loads an entity's
// current state when it draws its card (it calls them as the system).

// Account returns an account: one's own, or any for a superuser.
func (s *Service) Account(ctx context.Context, id cambista.ID) (*cambista.Account, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.Account, error) {
		a, err := tx.Account(ctx, id)
		if err != nil {
			return nil, err
		}
		return a, ownOrSuper(actor, a.UserID)
	})
}

// Withdrawal returns a withdrawal: one's own, or any for a superuser.
func (s *Service) Withdrawal(ctx context.Context, id cambista.ID) (*cambista.Withdrawal, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.Withdrawal, error) {
		w, err := tx.Withdrawal(ctx, id)
		if err != nil {
			return nil, err
		}
		return w, ownOrSuper(actor, w.UserID)
	})
}
