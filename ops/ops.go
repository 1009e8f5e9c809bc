// Package ops exports the business's state as Prometheus gauges: transfers
// by state, the open batches' capital and the pending queue per currency
// pair, the outbox's backlog and the audit chain's. It reads them through
// app at scrape time, at most once per cache period however many scrapes
// arrive, acting as the system.
//
// Labels are bounded: transfer states and currency pairs, never a person,
// a transfer or a batch. A batch's own figure is summed per pair, with the
// pair's lowest, which is enough to tell a batch short of its share of the
// pending queue without a series per batch (batch IDs grow without end).
// Amounts are integers of the currency's minor units, as in the ledger.
package ops

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/prometheus/client_golang/prometheus"
)

// Reader reads the figures; *app.Service is one.
type Reader interface {
	Operations(ctx context.Context) (*app.Operations, error)
}

// Config is what the collector needs beyond its reader.
type Config struct {
	// Cache is how long one read serves scrapes (default 10 seconds).
	Cache time.Duration
	// PendingTTL is how long a transfer waits for a cashier before it
	// expires; exported so that alerts compare the oldest pending
	// transfer's age with it.
	PendingTTL time.Duration
	Logger     *slog.Logger
}

// Collector is a prometheus.Collector of the business gauges.
type Collector struct {
	r   Reader
	ctx context.Context
	cfg Config

	mu     sync.Mutex
	last   *app.Operations
	readAt time.Time
}

// New returns a collector that reads through r in ctx, which must carry
// cambista.SystemActor and outlive the collector's registration.
func New(ctx context.Context, r Reader, cfg Config) *Collector {
	if cfg.Cache <= 0 {
		cfg.Cache = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Collector{r: r, ctx: ctx, cfg: cfg}
}

var (
	pair = []string{"base", "quote"}

	descUp = prometheus.NewDesc("cambista_business_read_ok",
		"1 if the last read of the business figures succeeded, 0 if it failed (the other business metrics are then absent).", nil, nil)
	descTransfers = prometheus.NewDesc("cambista_transfers",
		"Transfers in each state.", []string{"status"}, nil)
	descOpenBatches = prometheus.NewDesc("cambista_batches_open",
		"Open batches per currency pair (base → quote, paid out in quote).", pair, nil)
	descCapital = prometheus.NewDesc("cambista_batch_capital_minor",
		"Capital left in the pair's open batches (balance less the payouts of transfers taken and not finished), in minor units of quote.", pair, nil)
	descLowest = prometheus.NewDesc("cambista_batch_capital_lowest_minor",
		"Capital left in the pair's open batch with the least, in minor units of quote.", pair, nil)
	descPending = prometheus.NewDesc("cambista_pending_transfers",
		"Pending transfers (waiting for a cashier) per currency pair.", pair, nil)
	descPendingPayout = prometheus.NewDesc("cambista_pending_payout_minor",
		"What the pair's pending transfers would pay out, in minor units of quote.", pair, nil)
	descPendingAge = prometheus.NewDesc("cambista_pending_oldest_age_seconds",
		"Age of the oldest pending transfer; 0 when none waits.", nil, nil)
	descPendingTTL = prometheus.NewDesc("cambista_pending_ttl_seconds",
		"How long a pending transfer waits before it expires (CAMBISTA_PENDING_TTL).", nil, nil)
	descOutbox = prometheus.NewDesc("cambista_outbox_waiting",
		"Outbox messages (Discord notices, role changes) neither delivered nor given up.", nil, nil)
	descOutboxAge = prometheus.NewDesc("cambista_outbox_oldest_age_seconds",
		"Age of the oldest outbox message neither delivered nor given up; 0 when none waits.", nil, nil)
	descUnsealed = prometheus.NewDesc("cambista_audit_unsealed_events",
		"Audit events committed and not yet chained by the sealer.", nil, nil)
	descUnsealedAge = prometheus.NewDesc("cambista_audit_oldest_unsealed_age_seconds",
		"Age of the oldest audit event not yet chained; moments old while the sealer works, 0 when none waits.", nil, nil)
	descVerified = prometheus.NewDesc("cambista_audit_last_verified_timestamp_seconds",
		"When the whole audit chain was last verified unbroken (cambista audit verify, or the panel), as Unix time; 0 if never.", nil, nil)
)

// states are exported even when no transfer is in them, so that a rule
// on one of them sees 0 rather than nothing.
var states = []cambista.TransferStatus{cambista.TransferPending, cambista.TransferTaken, cambista.TransferCompleted,
	cambista.TransferRejected, cambista.TransferCancelled, cambista.TransferExpired}

// Describe sends every descriptor.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descTransfers, descOpenBatches, descCapital, descLowest, descPending,
		descPendingPayout, descPendingAge, descPendingTTL, descOutbox, descOutboxAge, descUnsealed, descUnsealedAge, descVerified} {
		ch <- d
	}
}

// Collect reads the figures, or reuses a read younger than the cache
// period, and sends them.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	gauge(descPendingTTL, c.cfg.PendingTTL.Seconds())
	ops, err := c.read()
	if err != nil {
		c.cfg.Logger.Warn("reading the business metrics failed", "err", err)
		gauge(descUp, 0)
		return
	}
	gauge(descUp, 1)
	for _, st := range states {
		gauge(descTransfers, float64(ops.Transfers[st]), string(st))
	}
	for st, n := range ops.Transfers {
		if !slices.Contains(states, st) {
			gauge(descTransfers, float64(n), string(st))
		}
	}
	for _, p := range ops.Pairs {
		gauge(descOpenBatches, float64(p.OpenBatches), p.Base, p.Quote)
		gauge(descCapital, float64(p.Capital), p.Base, p.Quote)
		gauge(descLowest, float64(p.LowestCapital), p.Base, p.Quote)
		gauge(descPending, float64(p.Pending), p.Base, p.Quote)
		gauge(descPendingPayout, float64(p.PendingPayout), p.Base, p.Quote)
	}
	gauge(descPendingAge, age(ops.OldestPending))
	gauge(descOutbox, float64(ops.OutboxWaiting))
	gauge(descOutboxAge, age(ops.OldestOutbox))
	gauge(descUnsealed, float64(ops.Unsealed))
	gauge(descUnsealedAge, age(ops.OldestUnsealed))
	verified := 0.0
	if !ops.AuditVerified.IsZero() {
		verified = float64(ops.AuditVerified.UnixMilli()) / 1000
	}
	gauge(descVerified, verified)
}

// read returns the last read if it is younger than the cache period, or
// reads again; concurrent scrapes wait for one read.
func (c *Collector) read() (*app.Operations, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != nil && time.Since(c.readAt) < c.cfg.Cache {
		return c.last, nil
	}
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	ops, err := c.r.Operations(ctx)
	if err != nil {
		return nil, err
	}
	c.last, c.readAt = ops, time.Now()
	return ops, nil
}

// age is how long ago t was, 0 for the zero time.
func age(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return max(time.Since(t).Seconds(), 0)
}
