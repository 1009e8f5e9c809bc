package web

import (
	"maps"
	"net/http"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
)

// The alerts page: the liquidity and exposure alerts not yet cleared, and
// the thresholds the rules compare with, which a superuser sets. The
// dashboard shows the same list (the "alerts-active" partial).

// MsgAlertsSaved confirms the thresholds.
var MsgAlertsSaved = words.Text("panel_alerts_saved", "Alert thresholds saved. The next check compares with them.")

// The page's labels, added to the panel's catalog.
func init() {
	maps.Copy(labels, define(map[string]string{
		"title.alerts":          "Liquidity alerts",
		"nav.alerts":            "Alerts",
		"alerts.active":         "Active alerts",
		"alerts.none":           "No alert is active.",
		"alerts.what":           "What the check saw",
		"alerts.cashier":        "Cashier",
		"alerts.raised":         "Raised",
		"alerts.thresholds":     "Thresholds",
		"alerts.help":           "A rule without a threshold is off. Each crossing is told once to the admin channel (and to the batch's cashier), and clears by itself when the check no longer sees it.",
		"alerts.currency":       "Currency",
		"alerts.min_capital":    "Minimum available in a batch",
		"alerts.max_exposure":   "Maximum held in open batches",
		"alerts.max_batch_age":  "Maximum hours a batch stays open",
		"alerts.queue_cover":    "Warn when a batch cannot pay the pending transfers of its pair",
		"alerts.save":           "Save thresholds",
		"alerts.dashboard_link": "Thresholds",
	}))
}

// alertsData is what the alerts page shows.
type alertsData struct {
	Config      *app.AlertConfig
	Active      []*cambista.Alert
	DisputeDays int
}

func (p *Panel) alerts(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	var d alertsData
	var err error
	if d.Config, err = p.svc.AlertThresholds(ctx); err == nil {
		d.Active, err = p.svc.ActiveAlerts(ctx)
	}
	if err == nil {
		d.DisputeDays, err = p.svc.DisputeDays(ctx)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.names(r, alertCashiers(d.Active)...)
	p.show(w, r, http.StatusOK, "alerts", "alerts", d)
}

// alertCashiers lists the cashiers the alerts name, to show their names.
func alertCashiers(alerts []*cambista.Alert) []cambista.UserID {
	var ids []cambista.UserID
	for _, a := range alerts {
		if a.CashierID != "" {
			ids = append(ids, a.CashierID)
		}
	}
	return ids
}

// saveAlerts reads one amount per currency and rule (fields
// min_capital.VES, max_exposure.VES …), the hours and the queue box.
func (p *Panel) saveAlerts(w http.ResponseWriter, r *request) {
	if err := r.ParseForm(); err != nil {
		p.refuse(w, r, cambista.Errorf(cambista.EINVALID, MsgBadForm.Msg()), "/alerts")
		return
	}
	in := app.AlertSettings{MinCapital: map[string]string{}, MaxExposure: map[string]string{},
		MaxBatchAge: r.PostFormValue("max_batch_age"), QueueCover: r.PostFormValue("queue_cover") == "on"}
	for name, values := range r.PostForm {
		if code, ok := strings.CutPrefix(name, "min_capital."); ok {
			in.MinCapital[code] = values[0]
		} else if code, ok := strings.CutPrefix(name, "max_exposure."); ok {
			in.MaxExposure[code] = values[0]
		}
	}
	if _, err := p.svc.SetAlertThresholds(r.Context(), r.PostFormValue(keyField), in); err != nil {
		p.refuse(w, r, err, "/alerts")
		return
	}
	p.done(w, r, "/alerts", MsgAlertsSaved.Msg())
}
