package store

import (
	"context"
	"sync/atomic"
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

	// replica is the store whose read replica a scrape measures; nil
	// without one.
	replica    atomic.Pointer[Store]
	replicaLag *prometheus.Desc
	replicaUp  *prometheus.Desc
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
		replicaLag: prometheus.NewDesc("cambista_db_replica_lag_seconds",
			"How far the read replica's data lags the primary's, measured at the scrape: 0 when it has replayed all it received while streaming (an idle primary), else the age of the last transaction it replayed. Absent while it does not answer.", nil, nil),
		replicaUp: prometheus.NewDesc("cambista_db_replica_up",
			"1 when the read replica answered the scrape's measure of its lag, 0 when it did not (its reads then go to the primary).", nil, nil),
	}
	reg.MustRegister(m.txDuration, m.retries, m.sealFails, m.groupSize, m.leader, replicaCollector{m})
	return m
}

// watchReplica has scrapes measure s's read replica.
func (m *Metrics) watchReplica(s *Store) {
	if m != nil {
		m.replica.Store(s)
	}
}

// replicaCollector measures the read replica when Prometheus scrapes, so
// that the lag is current even when no read went to the replica lately.
// Without a replica it reports nothing.
type replicaCollector struct{ m *Metrics }

func (c replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.m.replicaLag
	ch <- c.m.replicaUp
}

func (c replicaCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.m.replica.Load()
	if s == nil {
		return
	}
	lag, err := s.CheckReplica(context.Background())
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.m.replicaUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.m.replicaUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.m.replicaLag, prometheus.GaugeValue, lag.Seconds())
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
