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
	leader     *prometheus.GaugeVec
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
		leader: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cambista_leader",
			Help: "1 while this process holds the role's lock (scheduler: the periodic jobs; gateway: the Discord gateway session), 0 while it stands by.",
		}, []string{"role"}),
	}
	reg.MustRegister(m.txDuration, m.retries, m.sealFails, m.groupSize, m.leader)
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

func (m *Metrics) leading(role string, held bool) {
	if m == nil {
		return
	}
	v := 0.0
	if held {
		v = 1
	}
	m.leader.WithLabelValues(role).Set(v)
}
