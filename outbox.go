package cambista

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrClaimLost is returned by the marks of a claim that no longer holds the
// message: its lease ended and another claim took the message, or marked it.
// The holder records the outcome; the old claim's mark must not overwrite it.
var ErrClaimLost = errors.New("the outbox message is no longer held by this claim")

// OutboxMessage is a side effect to run outside the database (a Discord
// message, DM, role change, Notion page), written in the same transaction
// as the change it announces and delivered later by a worker.
type OutboxMessage struct {
	ID      ID
	Kind    string
	Payload json.RawMessage
	// Subject names what the message is about ("transfer:42",
	// "member:30"): messages of one subject are claimed in order, each
	// once those before it are delivered or given up, and those waiting
	// together are claimed together. Empty: no order.
	Subject string
	// Claim is the token of the claim that holds the message, and
	// Progress the steps of it already done (see SaveOutboxProgress), both
	// as ClaimOutbox returns it.
	Claim       string
	Progress    string
	RunAt       time.Time
	Attempts    int
	LastError   string
	DeliveredAt time.Time
	CreatedAt   time.Time
}

// Outbox is the queue of side effects, as a transaction writes it.
type Outbox interface {
	// Enqueue writes an outbox message, due at m.RunAt (now if zero). It
	// sets m.ID by the time the transaction next reaches the database.
	Enqueue(ctx context.Context, m *OutboxMessage) error
	// Undelivered reports whether outbox messages of the kinds about the
	// user (payload field user_id), or about anything when user is empty,
	// are still waiting or being retried.
	Undelivered(ctx context.Context, user UserID, kinds ...string) (bool, error)
}

// OutboxQueue is the outbox as its worker sees it: claim what is due,
// record how each attempt ended. Each method is one short transaction of
// the worker's; none is a person's action. Methods that name a message
// return ENOTFOUND when there is none.
type OutboxQueue interface {
	// ClaimOutbox returns messages due at now (RunAt <= now, neither
	// delivered nor given up) of the given kinds, or of any kind if none is
	// given, by ID, and moves their RunAt to now+lease: until the lease
	// ends no other worker sees them as due, and if this worker dies they
	// become due again by themselves. A message with a subject is claimed
	// only once every earlier message of its subject is delivered or given
	// up; with it come the later messages of its subject that are due, so
	// that up to limit subjects are claimed. A message another claimer
	// holds is skipped, not waited for. Every message returned carries the
	// claim's random token.
	ClaimOutbox(ctx context.Context, now time.Time, limit int, lease time.Duration, kinds ...string) ([]*OutboxMessage, error)
	// RenewOutbox moves the RunAt of the messages the claim still holds
	// (neither marked nor claimed since by another claim) to until, and
	// returns their IDs.
	RenewOutbox(ctx context.Context, claim string, until time.Time) ([]ID, error)
	// OldestUndelivered returns when the oldest message of the given kinds
	// (of any kind if none is given) neither delivered nor given up was
	// written, or the zero time if there is none.
	OldestUndelivered(ctx context.Context, kinds ...string) (time.Time, error)
	// The marks end the message's claim. They and SaveOutboxProgress act
	// only while the claim still holds the message, and return ErrClaimLost
	// otherwise.

	// MarkDelivered records that the message was delivered.
	MarkDelivered(ctx context.Context, id ID, claim string) error
	// MarkRetry records a failed attempt, the attempts so far, and when to
	// try again.
	MarkRetry(ctx context.Context, id ID, claim string, attempts int, lastErr string, runAt time.Time) error
	// MarkGivenUp stops delivering the message and records why; it stays
	// for an operator to read.
	MarkGivenUp(ctx context.Context, id ID, claim string, lastErr string) error
	// OutboxProgress returns what SaveOutboxProgress recorded, "" at first.
	OutboxProgress(ctx context.Context, id ID) (string, error)
	// OutboxAfter returns the messages of the subject after the message id
	// that are neither delivered nor given up, in order: those that will be
	// delivered after it.
	OutboxAfter(ctx context.Context, subject string, id ID) ([]*OutboxMessage, error)
	// SaveOutboxProgress records the steps of the message already done (the
	// worker's own encoding) and, unless note is empty, a note on how one
	// ended as its LastError.
	SaveOutboxProgress(ctx context.Context, id ID, claim, progress, note string) error
}

// MessageRefStore remembers which Discord message shows an entity in a
// channel, so that the worker edits a card rather than posting it again.
// One message may show several entities (a queue card of transfers); a
// reference may also be a placeholder the worker records before it posts
// (its own encoding), so that a retry posts the same message.
type MessageRefStore interface {
	// MessageRef returns the ID of the message that shows the entity
	// (entity is its type: "transfer", "batch"…) in the channel, or "" if
	// none was saved.
	MessageRef(ctx context.Context, entity string, id ID, channel string) (string, error)
	// MessageRefs returns MessageRef of each of the entities, by ID; an
	// entity without one is not in the map.
	MessageRefs(ctx context.Context, entity string, ids []ID, channel string) (map[ID]string, error)
	// MessageShows returns the IDs of the entities the message shows in
	// the channel, in order.
	MessageShows(ctx context.Context, entity, channel, messageID string) ([]ID, error)
	// SaveMessageRefs records, or replaces, the message that shows each of
	// the entities in the channel.
	SaveMessageRefs(ctx context.Context, entity string, ids []ID, channel, messageID string) error
}

// NotionPageStore remembers which Notion page shows an entity, so that the
// worker updates the page rather than creating another.
type NotionPageStore interface {
	// NotionPage returns the ID of the page that shows the entity (entity
	// is its type: "batch", "account"…), or "" if none was saved.
	NotionPage(ctx context.Context, entity string, id ID) (string, error)
	// SaveNotionPage records, or replaces, the page that shows the entity.
	SaveNotionPage(ctx context.Context, entity string, id ID, pageID string) error
}
