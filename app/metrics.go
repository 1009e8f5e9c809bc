package app

import (
	"github.com/cambista/cambista"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts use cases by action and outcome. A nil *Metrics counts
// nothing.
type Metrics struct {
	calls *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{calls: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cambista_usecase_total",
		Help: "Mutating use cases run, by action and outcome (ok or an error code).",
	}, []string{"action", "outcome"})}
	// Every action starts at 0 succeeded, so that rates and ratios exist
	// before the first call.
	for _, act := range cambista.Actions() {
		m.calls.WithLabelValues(string(act), "ok")
	}
	reg.MustRegister(m.calls)
	return m
}

func (m *Metrics) count(act cambista.Action, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = cambista.ErrorCode(err)
	}
	m.calls.WithLabelValues(string(act), outcome).Inc()
}
