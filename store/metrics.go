package store

import (
	"time"

	"github.com/cambista/cambista"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the store's Prometheus collectors. A nil *Metrics records
// nothing.
type Metrics struct {
	txDuration *prometheus.HistogramVec
	retries    *prometheus.CounterVec
	sealFails  *prometheus.CounterVec
	groupSize  prometheus.Histogram
}

// NewMetrics creates the collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		txDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cambista_db_tx_duration_seconds",
			Help:    "Duration of database transactions, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.0002, 2.5, 12),
		}, []string{"dialect", "kind", "outcome"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cambista_db_tx_retries_total",
			Help: "Transactions run again after losing a race (SQLITE_BUSY, serialization failure, deadlock) or in a SQLite commit group that failed.",
		}, []string{"dialect"}),
		sealFails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cambista_audit_seal_failures_total",
			Help: "Rounds of the audit sealer that failed; their events stay pending until a later round seals them.",
		}, []string{"dialect"}),
		groupSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cambista_db_commit_group_size",
			Help:    "Write transactions made durable by one SQLite commit (group commit).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 7),
		}),
	}
	reg.MustRegister(m.txDuration, m.retries, m.sealFails, m.groupSize)
	return m
}

func (m *Metrics) observe(dialect, kind string, err error, d time.Duration) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = cambista.ErrorCode(err)
	}
	m.txDuration.WithLabelValues(dialect, kind, outcome).Observe(d.Seconds())
}

func (m *Metrics) retry(dialect string) {
	if m == nil {
		return
	}
	m.retries.WithLabelValues(dialect).Inc()
}

func (m *Metrics) sealFailed(dialect string) {
	if m == nil {
		return
	}
	m.sealFails.WithLabelValues(dialect).Inc()
}

func (m *Metrics) groupCommitted(n int) {
	if m == nil {
		return
	}
	m.groupSize.Observe(float64(n))
}
