package store

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Waking the outbox's workers. A write transaction that enqueued rows
// wakes, once it has committed, every worker of this process at once; on
// PostgreSQL it also sends NOTIFY on outboxChannel, which the workers of
// other processes LISTEN to. The NOTIFY is sent after the commit, from a
// connection of its own, not inside the business transaction: PostgreSQL
// serializes the commits of notifying transactions on one lock, which would
// undo the commit groups that carry the write load. So a process that dies
// between its commit and its NOTIFY leaves the rows to the workers' poll,
// which stays as the fallback.

// outboxChannel is the PostgreSQL notification channel of the outbox,
// followed by the schema's name: notifications reach every session of the
// database, and each schema is a queue of its own.
const outboxChannel = "cambista_outbox:"

type waker struct {
	mu     sync.Mutex
	subs   map[chan struct{}]bool
	closed bool

	// token is this process's NOTIFY payload, so that its own listener
	// skips what its in-process signal already said.
	token string
	// send is the notifier's wake-up (buffered: one NOTIFY covers every
	// commit made before it is sent).
	send     chan struct{}
	notifier sync.Once
	listener sync.Once
	stop     chan struct{}
	wg       sync.WaitGroup
}

func newWaker() *waker {
	token, err := claimToken()
	if err != nil {
		token = time.Now().String() // never equal to another process's
	}
	return &waker{subs: map[chan struct{}]bool{}, token: token, send: make(chan struct{}, 1), stop: make(chan struct{})}
}

// OutboxWakeups returns a channel that receives a value soon after outbox
// rows are committed, by this process or (on PostgreSQL) by another one,
// and a function that stops the wake-ups. Several wake-ups may merge into
// one; a worker that wakes claims everything due.
func (s *Store) OutboxWakeups() (<-chan struct{}, func()) {
	w := s.wake
	c := make(chan struct{}, 1)
	w.mu.Lock()
	if !w.closed {
		w.subs[c] = true
	}
	w.mu.Unlock()
	if s.dsn != "" {
		w.start(&w.listener, s.listen)
	}
	return c, func() {
		w.mu.Lock()
		delete(w.subs, c)
		w.mu.Unlock()
	}
}

// outboxCommitted wakes this process's workers and, on PostgreSQL, has
// the others' woken.
func (s *Store) outboxCommitted() {
	s.wake.signal()
	if s.dsn == "" {
		return
	}
	w := s.wake
	w.start(&w.notifier, s.notifyLoop)
	select {
	case w.send <- struct{}{}:
	default: // a NOTIFY is already due
	}
}

// start runs fn in a goroutine once, unless the store has closed.
func (w *waker) start(once *sync.Once, fn func()) {
	once.Do(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if !w.closed {
			w.wg.Add(1)
			go fn()
		}
	})
}

func (w *waker) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for c := range w.subs {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// stopContext returns a context that ends when the store closes.
func (w *waker) stopContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-w.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// notifyLoop sends one NOTIFY for each burst of commits, until the store
// closes.
func (s *Store) notifyLoop() {
	w := s.wake
	defer w.wg.Done()
	ctx, cancel := w.stopContext()
	defer cancel()
	for {
		select {
		case <-w.stop:
			return
		case <-w.send:
		}
		if _, err := s.db.ExecContext(ctx, `SELECT pg_notify($1 || current_schema(), $2)`, outboxChannel, w.token); err != nil && ctx.Err() == nil {
			s.opts.Logger.Warn("notifying the outbox's workers failed; they will find the rows when they poll", "err", err)
		}
	}
}

// listen holds a connection of its own that LISTENs to the outbox's
// channel and wakes this process's workers on each notification from
// another process, reconnecting after a failure.
func (s *Store) listen() {
	w := s.wake
	defer w.wg.Done()
	ctx, cancel := w.stopContext()
	defer cancel()
	for backoff := 100 * time.Millisecond; ; backoff = min(2*backoff, 5*time.Second) {
		err := s.listenOnce(ctx, w, backoff > 100*time.Millisecond)
		if ctx.Err() != nil {
			return
		}
		s.opts.Logger.Warn("listening for outbox notifications failed; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
	}
}

// listenOnce listens on one connection until it fails. Once it listens
// again after a failure (again), it wakes the workers: a notification may
// have been missed meanwhile. The first time, the workers' own first pass
// finds what was committed before.
func (s *Store) listenOnce(ctx context.Context, w *waker, again bool) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{outboxChannel + schema}.Sanitize()); err != nil {
		return err
	}
	if again {
		w.signal()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != w.token {
			w.signal()
		}
	}
}

// stopWaker stops the notifier and the listener and closes the
// subscriptions' source.
func (s *Store) stopWaker() {
	w := s.wake
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	w.subs = map[chan struct{}]bool{}
	w.mu.Unlock()
	close(w.stop)
	w.wg.Wait()
}
