// Package app holds cambista's use cases. Each mutating one authorizes the
// actor by the permission matrix, validates its input, and runs in one
// database transaction that changes state, posts to the ledger, appends its
// audit event and writes its outbox messages together, under an
// idempotency key so a repeated request returns the first result.
//
// Adapters (Discord, the web panel, the CLI) resolve the acting user with
// Actor, put it in the context with cambista.WithActor, and call these
// methods; no business rule lives anywhere else.
package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/audit"
	"github.com/shopspring/decimal"
)

// Config is what the service needs beyond the store.
type Config struct {
	// Bootstrap names the Discord users who are superusers from the start,
	// so a new install can be set up.
	Bootstrap []cambista.UserID
	Logger    *slog.Logger
	Metrics   *Metrics
	// QuoteTTL is how long a quote can be turned into a transfer (default
	// 10 minutes); PendingTTL how long a transfer waits for a cashier
	// before it expires (default 24 hours).
	QuoteTTL   time.Duration
	PendingTTL time.Duration
	// Notion names the entities (batch, account, withdrawal, deposit,
	// refund) whose pages
	// are kept in a Notion database; none when Notion is off.
	Notion map[string]bool
	// RateConfirmPercent is how far (in percent of the current rate) a new
	// rate may move before it needs confirming (default 10).
	RateConfirmPercent decimal.Decimal
	// DepositSuperuserAbove is, per currency, the amount above which a
	// deposit needs a superuser's confirmation rather than a cashier's; a
	// currency not listed has no such limit.
	DepositSuperuserAbove map[string]decimal.Decimal
	// RefundTwoSuperusersAbove is, per currency, the amount above which a
	// refund or reversal needs a second superuser's approval.
	RefundTwoSuperusersAbove map[string]decimal.Decimal
}

func (c Config) rateConfirmPercent() decimal.Decimal {
	if !c.RateConfirmPercent.IsPositive() {
		return decimal.NewFromInt(10)
	}
	return c.RateConfirmPercent
}

func (c Config) quoteTTL() time.Duration {
	if c.QuoteTTL <= 0 {
		return 10 * time.Minute
	}
	return c.QuoteTTL
}

func (c Config) pendingTTL() time.Duration {
	if c.PendingTTL <= 0 {
		return 24 * time.Hour
	}
	return c.PendingTTL
}

// Service runs the use cases.
type Service struct {
	store     Store
	cfg       Config
	log       *slog.Logger
	published atomic.Pointer[compiledSet]
}

// New returns a Service over the store.
func New(store Store, cfg Config) *Service {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, cfg: cfg, log: log}
}

// Actor resolves the acting user: their stored roles, or no role at all if
// they have not registered. Bootstrap superusers are superusers even before
// they register.
func (s *Service) Actor(ctx context.Context, id cambista.UserID, locale string) (cambista.Actor, error) {
	if err := cambista.ValidateUserID(id); err != nil {
		return cambista.Actor{}, err
	}
	a := cambista.Actor{UserID: id, Locale: locale}
	err := s.store.View(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, id)
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		a.Roles, a.Frozen = u.Roles, u.Status == cambista.UserFrozen
		if a.Locale == "" {
			a.Locale = u.Locale
		}
		return nil
	})
	if slices.Contains(s.cfg.Bootstrap, id) {
		a.Roles = a.Roles.With(cambista.RoleSuperuser)
	}
	return a, err
}

// call is one use case's invocation.
type call struct {
	ctx    context.Context
	tx     Tx
	actor  cambista.Actor
	action cambista.Action
	key    string
	notion map[string]bool // entities mirrored to Notion

	// The currencies and countries, each read at most once per transaction:
	// a use case checks several codes against them.
	currencyList   []*cambista.Currency
	countryList    []*cambista.Country
	currenciesRead bool
	countriesRead  bool
}

// audit queues the use case's audit event; before and after are encoded
// canonically.
func (c *call) audit(entityType string, entityID any, before, after any) error {
	b, err := audit.JSON(before)
	if err != nil {
		return err
	}
	a, err := audit.JSON(after)
	if err != nil {
		return err
	}
	c.tx.Audit(&cambista.AuditEvent{
		Actor:          c.actor.String(),
		Action:         c.action,
		EntityType:     entityType,
		EntityID:       fmt.Sprint(entityID),
		Before:         b,
		After:          a,
		IdempotencyKey: c.key,
	})
	return nil
}

// enqueue writes an outbox message in the use case's transaction.
func (c *call) enqueue(kind string, payload any) error {
	p, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	return c.tx.Enqueue(c.ctx, &cambista.OutboxMessage{Kind: kind, Payload: p, Subject: subjectOf(payload)})
}

// mutate runs a mutating use case: authorize, then in one transaction claim
// the idempotency key (when there is one), run fn, and store its result.
// A replay of the key with the same input returns the stored result without
// running fn; with a different input it is ECONFLICT.
func mutate[Out any](ctx context.Context, s *Service, act cambista.Action, key string, input any, fn func(c *call) (Out, error)) (Out, error) {
	var out Out
	actor := cambista.ActorFromContext(ctx)
	err := cambista.Authorize(actor, act)
	if err == nil {
		err = s.store.WithTx(ctx, func(tx Tx) error {
			c := &call{ctx: ctx, tx: tx, actor: actor, action: act, key: key, notion: s.cfg.Notion}
			if key == "" {
				var err error
				out, err = fn(c)
				return err
			}
			hash, err := requestHash(act, actor, input)
			if err != nil {
				return err
			}
			claimed, prev, stored, err := tx.ClaimKey(ctx, key, hash)
			if err != nil {
				return err
			}
			if !claimed {
				if prev != hash {
					return cambista.Errorf(cambista.ECONFLICT, cambista.MsgKeyReused.Msg())
				}
				return json.Unmarshal(stored, &out)
			}
			if out, err = fn(c); err != nil {
				return err
			}
			result, err := json.Marshal(out)
			if err != nil {
				return err
			}
			return tx.SaveKeyResult(ctx, key, result)
		})
	}
	s.cfg.Metrics.count(act, err)
	s.logUseCase(ctx, act, err)
	if err != nil {
		var zero Out
		return zero, named(act, err)
	}
	return out, nil
}

// logUseCase writes one line per mutating use case, with ECS's event
// fields: what was done, whether it succeeded and, if not, the error code.
// The actor and the request's ID come from ctx (package logs).
func (s *Service) logUseCase(ctx context.Context, act cambista.Action, err error) {
	if err == nil {
		s.log.LogAttrs(ctx, slog.LevelInfo, "use case", slog.String("event.action", string(act)), slog.String("event.outcome", "success"))
		return
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "use case", slog.String("event.action", string(act)), slog.String("event.outcome", "failure"),
		slog.String("error.code", cambista.ErrorCode(err)))
}

// view runs a read-only use case after authorizing it.
func view[Out any](ctx context.Context, s *Service, act cambista.Action, fn func(tx Tx, actor cambista.Actor) (Out, error)) (Out, error) {
	return read(ctx, s.store.View, act, fn)
}

// viewReplica is view for the use cases whose reads may lag the latest
// commit by a read replica's delay (Store.ViewReplica): the business's
// history, not the state a person acts on.
func viewReplica[Out any](ctx context.Context, s *Service, act cambista.Action, fn func(tx Tx, actor cambista.Actor) (Out, error)) (Out, error) {
	return read(ctx, s.store.ViewReplica, act, fn)
}

// read runs a read-only use case with the store's View or ViewReplica,
// after authorizing it.
func read[Out any](ctx context.Context, with func(context.Context, func(Tx) error) error, act cambista.Action,
	fn func(tx Tx, actor cambista.Actor) (Out, error)) (Out, error) {
	var out Out
	actor := cambista.ActorFromContext(ctx)
	err := cambista.Authorize(actor, act)
	if err == nil {
		err = with(ctx, func(tx Tx) error {
			var err error
			out, err = fn(tx, actor)
			return err
		})
	}
	if err != nil {
		var zero Out
		return zero, named(act, err)
	}
	return out, nil
}

// named puts the action's name in an internal error, so that the adapter's
// log line says which use case failed. The errors a person reads (every
// other code) are returned as they are: adapters show their messages.
func named(act cambista.Action, err error) error {
	if cambista.ErrorCode(err) != cambista.EINTERNAL {
		return err
	}
	cause := err
	if e, ok := err.(*cambista.Error); ok && e.Err != nil {
		cause = e.Err // the store's wrapping: not repeated inside the new one
	}
	return &cambista.Error{Code: cambista.EINTERNAL, Message: cambista.MsgInternal.Msg(), Err: fmt.Errorf("%s: %w", act, cause)}
}

// requestHash identifies a request: the action, who asked, and the input.
func requestHash(act cambista.Action, actor cambista.Actor, input any) (string, error) {
	in, err := json.Marshal(input)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", act, actor.UserID)
	h.Write(in)
	return hex.EncodeToString(h.Sum(nil)), nil
}
