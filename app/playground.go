package app

import (
	"context"

	"github.com/cambista/cambista"
)

// PlaygroundStore keeps the playground's stand-in for Discord: its guild,
// members and messages as JSON values by key. It is no part of the
// business; only the process, acting as cambista.SystemActor, reaches it.
type PlaygroundStore interface {
	// PlaygroundItems returns every stored value by key.
	PlaygroundItems(ctx context.Context) (map[string]string, error)
	// PutPlaygroundItem writes a value; an empty value deletes the key.
	PutPlaygroundItem(ctx context.Context, key, value string) error
	// ClearPlayground deletes every value.
	ClearPlayground(ctx context.Context) error
}

// PlaygroundItems returns the stand-in's stored state.
func (s *Service) PlaygroundItems(ctx context.Context) (map[string]string, error) {
	return delivery(ctx, s.store.View, func(tx Tx) (map[string]string, error) { return tx.PlaygroundItems(ctx) })
}

// SavePlayground writes the values in one transaction; an empty value
// deletes its key. With reset, every other value is deleted first.
func (s *Service) SavePlayground(ctx context.Context, items map[string]string, reset bool) error {
	return s.deliveryWrite(ctx, func(tx Tx) error {
		if reset {
			if err := tx.ClearPlayground(ctx); err != nil {
				return err
			}
		}
		for k, v := range items {
			if err := tx.PutPlaygroundItem(ctx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// PlaygroundPeople returns the registered users, newest first, so that the
// stand-in's guild has the business's people as members.
func (s *Service) PlaygroundPeople(ctx context.Context) ([]*cambista.User, error) {
	return delivery(ctx, s.store.View, func(tx Tx) ([]*cambista.User, error) {
		return tx.Users(ctx, cambista.UserFilter{Limit: 1000})
	})
}
