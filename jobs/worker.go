// Package jobs runs cambista's background work. Worker delivers the outbox
// to Discord: it claims due rows, posts or edits each entity's card in its
// channel, sends direct messages, keeps members' Discord roles in step with
// their app roles, retries what failed with backoff, and gives up on what
// will not get better.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/i18n"
)

// Config tunes a Worker. Zero fields take the defaults in brackets.
type Config struct {
	// GuildID is the Discord server whose members' roles are kept in step.
	GuildID string
	// Wake receives soon after outbox rows are committed (the store's
	// OutboxWakeups): the worker then looks for due rows at once. Without
	// it, and besides it, the worker polls.
	Wake <-chan struct{}
	// PollInterval is how often an idle worker looks for due rows when
	// nothing wakes it: the fallback for rows whose wake-up was lost, and
	// for retries falling due [1s].
	PollInterval time.Duration
	// BatchSize is how many subjects one pass claims [25: as many new
	// transfers as a queue card shows].
	BatchSize int
	// Parallel is how many subjects a pass delivers at once [4]: each
	// costs a few short transactions and Discord calls, mostly waiting.
	Parallel int
	// Lease is how long claimed rows stay hidden from other workers [3s].
	// The worker renews it every third of it while it holds them, so
	// that it runs out only when the worker is dead or cut off: then
	// another worker delivers the rows within a lease and a poll. A row
	// whose lease was lost is not started, and the delivery in flight is
	// cut short.
	Lease time.Duration
	// After a failure a row waits a random time up to
	// BackoffBase×2^attempts, capped at BackoffMax [1s, 5m].
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// Horizon is how long after it was written a failing row is still
	// retried; after that it is given up [24h].
	Horizon time.Duration
	// FeedGather is how long audit lines wait to fill a message of the
	// log channel before they are posted as they are [2s].
	FeedGather time.Duration
	// DefaultLang is the language of the channel cards and of direct
	// messages to users whose language is unknown [es: the business speaks
	// Spanish first].
	DefaultLang i18n.Lang
	// Now is the clock [time.Now]; tests move it.
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = discord.QueueMax
	}
	if c.Parallel <= 0 {
		c.Parallel = 4
	}
	if c.Lease <= 0 {
		c.Lease = 3 * time.Second
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = time.Second
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = 5 * time.Minute
	}
	if c.Horizon <= 0 {
		c.Horizon = 24 * time.Hour
	}
	if c.FeedGather <= 0 {
		c.FeedGather = 2 * time.Second
	}
	if c.DefaultLang == "" {
		c.DefaultLang = i18n.ES
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Worker delivers outbox rows. Several workers (in several processes) may
// share one database: each row is claimed by one of them at a time.
type Worker struct {
	app *app.Service
	s   *discordgo.Session
	cfg Config
	log *slog.Logger

	// handlers deliver each kind of row the worker claims; rows of other
	// kinds are left to other workers.
	handlers map[string]handler
	kinds    []string

	delivered, retries, givenUp *prometheus.CounterVec
	lag                         prometheus.Gauge

	// dms caches each user's DM channel.
	dms dmCache
	// measured is when the lag was last measured.
	measured time.Time

	// stop, closed by Shutdown, keeps Run from starting another row.
	stop     chan struct{}
	stopOnce sync.Once
	// mu guards halt, which cuts short the delivery in flight, and done,
	// closed when Run returns; both nil until Run starts.
	mu   sync.Mutex
	halt context.CancelFunc
	done chan struct{}
}

// New returns a worker that claims rows and reads entities and settings
// through svc, and talks to Discord through s. Its metrics are registered
// with reg unless reg is nil.
func New(svc *app.Service, s *discordgo.Session, cfg Config, log *slog.Logger, reg prometheus.Registerer) *Worker {
	cfg.defaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		app: svc, s: s, cfg: cfg, log: log, stop: make(chan struct{}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cambista_outbox_delivered_total",
			Help: "Outbox rows delivered, by kind.",
		}, []string{"kind"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cambista_outbox_retries_total",
			Help: "Failed outbox deliveries scheduled to be tried again, by kind.",
		}, []string{"kind"}),
		givenUp: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cambista_outbox_given_up_total",
			Help: "Outbox rows given up (a permanent error, or failing past the horizon), by kind; each needs an operator.",
		}, []string{"kind"}),
		lag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "cambista_outbox_lag_seconds",
			Help: "Age of the oldest outbox row neither delivered nor given up; 0 when the queue is empty.",
		}),
	}
	w.handlers = map[string]handler{app.KindNotice: w.notice, app.KindRole: w.role, app.KindProfile: w.profile, app.KindAuditFeed: w.auditFeed}
	w.kinds = slices.Sorted(maps.Keys(w.handlers))
	if reg != nil {
		reg.MustRegister(w.delivered, w.retries, w.givenUp, w.lag)
	}
	return w
}

// Run delivers due rows until ctx ends or Shutdown is called: a pass at
// once, then one whenever a commit wakes it or the poll interval passes,
// and passes back to back while they find full batches. Call it once. It acts as the actor ctx carries, which
// must be the system: it reads whatever it announces, for whomever.
func (w *Worker) Run(ctx context.Context) {
	ctx, halt := context.WithCancel(ctx)
	defer halt()
	done := make(chan struct{})
	defer close(done)
	w.mu.Lock()
	w.halt, w.done = halt, done
	w.mu.Unlock()
	tick := time.NewTicker(w.cfg.PollInterval)
	defer tick.Stop()
	var fed time.Time
	for {
		// Claimed before the passes, so that they post the lines; not on
		// every wake-up, since lines gather for FeedGather anyway and each
		// claim is a transaction.
		if time.Since(fed) >= w.cfg.FeedGather/4 {
			fed = time.Now()
			if _, err := w.app.ClaimAuditFeed(ctx, feedLines, w.cfg.FeedGather); err != nil && ctx.Err() == nil {
				w.log.Warn("claiming audit lines for the log channel failed; the feed will catch up", "err", err)
			}
		}
		for w.live(ctx) {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				w.log.Error("outbox pass failed", "err", err)
			}
			if err != nil || n < w.cfg.BatchSize {
				break
			}
		}
		if !w.live(ctx) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-w.stop:
			return
		case <-w.cfg.Wake:
		case <-tick.C:
		}
	}
}

// live reports whether the worker may start more work.
func (w *Worker) live(ctx context.Context) bool {
	select {
	case <-w.stop:
		return false
	default:
		return ctx.Err() == nil
	}
}

// Shutdown stops Run: it starts no other row, and Shutdown waits for the
// row in flight to be delivered and recorded, so that a notice Discord has
// taken is not sent again. If ctx ends first, the delivery is cancelled
// (its row comes back when its lease ends) and Shutdown returns ctx's
// error once Run has returned.
func (w *Worker) Shutdown(ctx context.Context) error {
	w.stopOnce.Do(func() { close(w.stop) })
	w.mu.Lock()
	halt, done := w.halt, w.done
	w.mu.Unlock()
	if done == nil {
		return nil // Run never started, and now will not start a row
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		halt()
		<-done
		return ctx.Err()
	}
}

// RunOnce claims one batch of due rows and tries each: it marks it
// delivered, schedules a retry or gives it up. While it works it renews
// the lease of the rows it holds. It returns how many rows it handled; an
// error means the database failed (or ctx does not carry the system), and
// rows not handled come back when their lease ends.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if !cambista.ActorFromContext(ctx).System {
		return 0, errNotSystem // else every row would fail as forbidden, and be given up
	}
	rows, cfg, err := w.app.ClaimDiscordOutbox(ctx, w.cfg.Now(), w.cfg.BatchSize, w.cfg.Lease, w.kinds...)
	if err != nil {
		return 0, fmt.Errorf("claim outbox: %w", err)
	}
	n := 0
	if len(rows) > 0 {
		ctx = withDraws(withClaim(ctx, rows))
		l := w.keep(ctx, rows)
		defer l.stop()
		n, err = w.deliverAll(ctx, l, cfg, rows)
		if err != nil {
			return n, err
		}
	}
	// The lag changes with what this pass did, and otherwise only ages:
	// measured after a pass that delivered, or a second after the last.
	if n == 0 && w.cfg.Now().Sub(w.measured) < time.Second {
		return 0, nil
	}
	return n, w.measureLag(ctx)
}

// deliverAll delivers the claimed rows, the rows of each subject in order,
// up to Parallel units (a subject, or the new transfers of a queue card)
// at once. It returns how many it handled, and the first database error.
func (w *Worker) deliverAll(ctx context.Context, l *lease, cfg *app.DiscordConfig, rows []*cambista.OutboxMessage) (int, error) {
	var (
		mu    sync.Mutex
		n     int
		first error
		wg    sync.WaitGroup
	)
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	}
	// settle counts a row's delivery; false stops its subject: the rest
	// waits for this row.
	settle := func(m *cambista.OutboxMessage, err error) bool {
		mu.Lock()
		defer mu.Unlock()
		if errors.Is(err, cambista.ErrClaimLost) {
			w.log.Warn("outbox lease lost before the row was marked; its new holder records it", "outbox_id", m.ID)
		} else if err != nil && !l.lost(m.ID) && first == nil {
			first = err
		}
		if err == nil {
			n++
		}
		return err == nil
	}
	subject := func(g []*cambista.OutboxMessage) {
		for _, m := range g {
			if !w.live(ctx) {
				return
			}
			rctx, ok := l.start(m.ID)
			if !ok {
				w.log.Warn("outbox lease lost; another worker has the rows", "outbox_id", m.ID)
				return
			}
			err := w.deliver(rctx, cfg, m)
			l.end(m.ID)
			if !settle(m, err) {
				return
			}
		}
	}
	slots := make(chan struct{}, w.cfg.Parallel)
	for _, u := range units(cfg, bySubject(rows)) {
		if !w.live(ctx) || failed() {
			break
		}
		slots <- struct{}{}
		wg.Go(func() {
			if u.channel == "" {
				defer func() { <-slots }()
				subject(u.subjects[0])
				return
			}
			// Once the queue card is posted, the rest of its subjects go
			// as any subject, each in a slot of its own.
			rest := w.deliverQueue(ctx, l, u, settle)
			<-slots
			for _, g := range rest {
				if len(g) == 0 {
					continue
				}
				slots <- struct{}{}
				wg.Go(func() {
					defer func() { <-slots }()
					subject(g)
				})
			}
		})
	}
	wg.Wait()
	return n, first
}

// bySubject groups rows by subject, in the order of each subject's first
// row; a row without a subject is a group of its own.
func bySubject(rows []*cambista.OutboxMessage) [][]*cambista.OutboxMessage {
	var out [][]*cambista.OutboxMessage
	at := map[string]int{}
	for _, m := range rows {
		if i, ok := at[m.Subject]; ok && m.Subject != "" {
			out[i] = append(out[i], m)
			continue
		}
		at[m.Subject] = len(out)
		out = append(out, []*cambista.OutboxMessage{m})
	}
	return out
}

func (w *Worker) measureLag(ctx context.Context) error {
	w.measured = w.cfg.Now()
	oldest, err := w.app.OldestUndelivered(ctx, w.kinds...)
	if err != nil {
		return fmt.Errorf("outbox lag: %w", err)
	}
	if oldest.IsZero() {
		w.lag.Set(0)
	} else {
		w.lag.Set(max(w.cfg.Now().Sub(oldest).Seconds(), 0))
	}
	return nil
}

var errNotSystem = errors.New("the outbox worker runs as the system: its context must carry cambista.SystemActor")

// handler delivers one row; a nil error means it is done.
type handler func(ctx context.Context, cfg *app.DiscordConfig, m *cambista.OutboxMessage) error

// deliver runs one row and records the outcome.
func (w *Worker) deliver(ctx context.Context, cfg *app.DiscordConfig, m *cambista.OutboxMessage) error {
	return w.record(ctx, m, w.handlers[m.Kind](ctx, cfg, m))
}

// record records how the row's delivery ended: delivered, to retry, or
// given up.
func (w *Worker) record(ctx context.Context, m *cambista.OutboxMessage, err error) error {
	if err != nil && ctx.Err() != nil {
		return ctx.Err() // stopped, not failed: the row returns when its lease ends
	}
	if errors.Is(err, cambista.ErrClaimLost) {
		return err // a step's record found another claim holding the row
	}
	// Once Discord has taken the message, record it even if the worker is
	// stopping, or the next worker would need the nonce to find it.
	mark := context.WithoutCancel(ctx)
	log := w.log.With("outbox_id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1)
	if err == nil {
		if err := w.app.MarkDelivered(mark, m.ID, m.Claim); err != nil {
			return err
		}
		w.delivered.WithLabelValues(m.Kind).Inc()
		return nil
	}
	if busy := (*discord.Busy)(nil); errors.As(err, &busy) {
		// Waiting for Discord's budget: nothing failed.
		return w.app.MarkRetry(mark, m.ID, m.Claim, m.Attempts, errText(err), w.cfg.Now().Add(busy.Wait))
	}
	now := w.cfg.Now()
	delay, retry := w.retryDelay(m.Attempts, err)
	if !retry || now.Sub(m.CreatedAt) >= w.cfg.Horizon {
		log.Error("outbox row given up", "err", err, "age", now.Sub(m.CreatedAt))
		if err := w.app.MarkGivenUp(mark, m.ID, m.Claim, errText(err)); err != nil {
			return err
		}
		w.givenUp.WithLabelValues(m.Kind).Inc()
		return nil
	}
	log.Warn("outbox delivery failed; will retry", "err", err, "in", delay)
	if err := w.app.MarkRetry(mark, m.ID, m.Claim, m.Attempts+1, errText(err), now.Add(delay)); err != nil {
		return err
	}
	w.retries.WithLabelValues(m.Kind).Inc()
	return nil
}

// permanentError is a failure that no retry can fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(err error) error { return &permanentError{err} }

// retryDelay says how long a row that failed with err after attempts
// earlier failures waits, or false if it is not worth retrying.
func (w *Worker) retryDelay(attempts int, err error) (time.Duration, bool) {
	var perm *permanentError
	if errors.As(err, &perm) {
		return 0, false
	}
	switch cambista.ErrorCode(err) {
	case cambista.ENOTFOUND, cambista.EINVALID, cambista.EFORBIDDEN:
		return 0, false // the entity or the payload is wrong, and will stay so
	}
	var limited *discordgo.RateLimitError
	if errors.As(err, &limited) && limited.RateLimit != nil && limited.TooManyRequests != nil && limited.RetryAfter > 0 {
		return limited.RetryAfter, true
	}
	var later interface{ RetryAfter() time.Duration } // another service's 429 (Notion)
	if errors.As(err, &later) && later.RetryAfter() > 0 {
		return later.RetryAfter(), true
	}
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil {
		// Other 4xx answers do not change on their own, except 401: a bad
		// token fails every row, and giving the queue up would lose it
		// while someone fixes the token.
		code := rest.Response.StatusCode
		if code >= 400 && code < 500 && code != http.StatusTooManyRequests && code != http.StatusUnauthorized {
			return 0, false
		}
	}
	// 5xx, network errors, our database: exponential backoff with full
	// jitter, so that rows failed by one outage do not come back together.
	d := w.cfg.BackoffMax
	if attempts < 30 {
		if b := w.cfg.BackoffBase << attempts; b > 0 && b < d {
			d = b
		}
	}
	return rand.N(d), true
}

// errText is err as stored in last_error, bounded.
func errText(err error) string {
	s := err.Error()
	if r := []rune(s); len(r) > 1000 {
		return string(r[:1000]) + "…"
	}
	return s
}

// restCode returns Discord's JSON error code of err, or 0.
func restCode(err error) int {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Message != nil {
		return rest.Message.Code
	}
	return 0
}

// opts makes discordgo hand a 429 back instead of sleeping on it: the row
// is rescheduled for after retry_after, and the worker goes on meanwhile.
func opts(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false)}
}
