package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
)

// The outbox worker's use cases: the queue (claim what is due, record how
// each attempt ended), the Discord messages that show each entity, and the
// single-entity reads it draws a card from, with the entity's state at
// delivery.
//
// The queue and the message refs are not a person's business: no role of
// the permission matrix reaches them, and only the process itself may,
// acting as cambista.SystemActor, which the worker sets and Service.Actor
// never returns; so no request of a person, a superuser's included, can
// claim or mark a message. Each runs in one transaction of its own, as the
// worker's steps are.

// actDeliver names the worker's use cases when one is refused.
const actDeliver cambista.Action = "outbox.deliver"

// delivery runs fn for the worker in one transaction started by run
// (Store.WithTx or Store.View), if the actor is the system.
func delivery[Out any](ctx context.Context, run func(context.Context, func(Tx) error) error, fn func(Tx) (Out, error)) (Out, error) {
	var out Out
	if cambista.ActorFromContext(ctx) != cambista.SystemActor {
		return out, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgForbidden.Msg("Action", cambista.WordFor(string(actDeliver))))
	}
	err := run(ctx, func(tx Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// deliveryWrite runs fn for the worker in a read-write transaction.
func (s *Service) deliveryWrite(ctx context.Context, fn func(Tx) error) error {
	_, err := delivery(ctx, s.store.WithTx, func(tx Tx) (struct{}, error) { return struct{}{}, fn(tx) })
	return err
}

// ClaimOutbox claims up to limit messages of the kinds due at now, for
// lease; see cambista.OutboxQueue.
func (s *Service) ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration, kinds ...string) ([]*cambista.OutboxMessage, error) {
	return delivery(ctx, s.store.WithTx, func(tx Tx) ([]*cambista.OutboxMessage, error) {
		return tx.ClaimOutbox(ctx, now, limit, lease, kinds...)
	})
}

// ClaimDiscordOutbox claims as ClaimOutbox does and, when it claimed
// anything, reads the Discord settings to deliver the messages with in the
// same transaction: on the way from a commit to Discord, one transaction
// and its round trips fewer than a claim and a DiscordConfig.
func (s *Service) ClaimDiscordOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration, kinds ...string) ([]*cambista.OutboxMessage, *DiscordConfig, error) {
	var cfg *DiscordConfig
	rows, err := delivery(ctx, s.store.WithTx, func(tx Tx) ([]*cambista.OutboxMessage, error) {
		rows, err := tx.ClaimOutbox(ctx, now, limit, lease, kinds...)
		if err != nil || len(rows) == 0 {
			return rows, err
		}
		cfg, err = discordConfig(ctx, tx)
		return rows, err
	})
	return rows, cfg, err
}

// RenewOutbox extends the lease of the messages the claim still holds to
// until, and returns their IDs; see cambista.OutboxQueue.
func (s *Service) RenewOutbox(ctx context.Context, claim string, until time.Time) ([]cambista.ID, error) {
	return delivery(ctx, s.store.WithTx, func(tx Tx) ([]cambista.ID, error) { return tx.RenewOutbox(ctx, claim, until) })
}

// OldestUndelivered returns when the oldest message of the kinds still to
// deliver was written, or the zero time if there is none.
func (s *Service) OldestUndelivered(ctx context.Context, kinds ...string) (time.Time, error) {
	return delivery(ctx, s.store.View, func(tx Tx) (time.Time, error) { return tx.OldestUndelivered(ctx, kinds...) })
}

// MarkDelivered records that the message the claim holds was delivered;
// ENOTFOUND, cambista.ErrClaimLost.
func (s *Service) MarkDelivered(ctx context.Context, id cambista.ID, claim string) error {
	return s.deliveryWrite(ctx, func(tx Tx) error { return tx.MarkDelivered(ctx, id, claim) })
}

// MarkRetry records a failed attempt and when to try again; ENOTFOUND,
// cambista.ErrClaimLost.
func (s *Service) MarkRetry(ctx context.Context, id cambista.ID, claim string, attempts int, lastErr string, runAt time.Time) error {
	return s.deliveryWrite(ctx, func(tx Tx) error { return tx.MarkRetry(ctx, id, claim, attempts, lastErr, runAt) })
}

// MarkGivenUp stops delivering the message and records why; ENOTFOUND,
// cambista.ErrClaimLost.
func (s *Service) MarkGivenUp(ctx context.Context, id cambista.ID, claim string, lastErr string) error {
	return s.deliveryWrite(ctx, func(tx Tx) error { return tx.MarkGivenUp(ctx, id, claim, lastErr) })
}

// OutboxProgress returns the steps of the message already done, as
// SaveOutboxProgress recorded them; ENOTFOUND.
func (s *Service) OutboxProgress(ctx context.Context, id cambista.ID) (string, error) {
	return delivery(ctx, s.store.View, func(tx Tx) (string, error) { return tx.OutboxProgress(ctx, id) })
}

// OutboxAfter returns the messages of the subject after the message id
// still to deliver, in order.
func (s *Service) OutboxAfter(ctx context.Context, subject string, id cambista.ID) ([]*cambista.OutboxMessage, error) {
	return delivery(ctx, s.store.View, func(tx Tx) ([]*cambista.OutboxMessage, error) { return tx.OutboxAfter(ctx, subject, id) })
}

// SaveOutboxProgress records the steps of the message already done and,
// unless note is empty, a note as its last error; ENOTFOUND,
// cambista.ErrClaimLost.
func (s *Service) SaveOutboxProgress(ctx context.Context, id cambista.ID, claim, progress, note string) error {
	return s.deliveryWrite(ctx, func(tx Tx) error { return tx.SaveOutboxProgress(ctx, id, claim, progress, note) })
}

// MessageRef returns the ID of the Discord message that shows the entity
// in the channel, or "" if none was saved.
func (s *Service) MessageRef(ctx context.Context, entity string, id cambista.ID, channel string) (string, error) {
	return delivery(ctx, s.store.View, func(tx Tx) (string, error) { return tx.MessageRef(ctx, entity, id, channel) })
}

// SaveMessageRef records, or replaces, the message that shows the entity
// in the channel.
func (s *Service) SaveMessageRef(ctx context.Context, entity string, id cambista.ID, channel, messageID string) error {
	return s.SaveMessageRefs(ctx, entity, []cambista.ID{id}, channel, messageID)
}

// MessageRefs returns the messages that show the entities in the channel,
// by entity ID; an entity without one is not in the map.
func (s *Service) MessageRefs(ctx context.Context, entity string, ids []cambista.ID, channel string) (map[cambista.ID]string, error) {
	return delivery(ctx, s.store.View, func(tx Tx) (map[cambista.ID]string, error) { return tx.MessageRefs(ctx, entity, ids, channel) })
}

// MessageShows returns the IDs of the entities the message shows in the
// channel: several for a queue card.
func (s *Service) MessageShows(ctx context.Context, entity, channel, messageID string) ([]cambista.ID, error) {
	return delivery(ctx, s.store.View, func(tx Tx) ([]cambista.ID, error) { return tx.MessageShows(ctx, entity, channel, messageID) })
}

// SaveMessageRefs records, or replaces, the message that shows each of the
// entities in the channel.
func (s *Service) SaveMessageRefs(ctx context.Context, entity string, ids []cambista.ID, channel, messageID string) error {
	return s.deliveryWrite(ctx, func(tx Tx) error { return tx.SaveMessageRefs(ctx, entity, ids, channel, messageID) })
}

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
