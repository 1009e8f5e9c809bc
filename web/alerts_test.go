package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/web"
)

// TestAlertThresholdsPage: a superuser sets the thresholds in the panel
// (audited; bad input refused with its reason and nothing changed), and the
// alerts the check raises show on the dashboard and the alerts page.
func TestAlertThresholdsPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		r := b.get("/alerts")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "No hay alertas activas.", `name="min_capital.VES" value=""`)

		form := url.Values{"csrf": {b.csrf()}, "key": {"web:al1"}, "min_capital.VES": {"5.000,00"}, "max_exposure.USD": {""},
			"max_batch_age": {"48"}, "queue_cover": {"on"}}
		wantRedirect(t, b.post("/alerts", form), "/alerts")
		r = b.get("/alerts")
		wantBody(t, r, es(web.MsgAlertsSaved.Msg()), `name="min_capital.VES" value="5.000,00 VES"`, `name="max_batch_age" inputmode="numeric" size="6" value="48"`, `name="queue_cover" checked`)

		bad := url.Values{"csrf": {b.csrf()}, "key": {"web:al2"}, "min_capital.VES": {"1"}, "max_batch_age": {"dos"}}
		r = b.refused(b.post("/alerts", bad), "/alerts")
		// What was typed is shown again with the reason; nothing changed.
		wantBody(t, r, es(cambista.MsgAlertBadHours.Msg("Input", "dos")), `name="min_capital.VES" value="1"`, `value="dos"`)
		if cfg := apptest.Must(e.Svc.AlertThresholds(e.As(apptest.Boot))); cfg.MinCapital["VES"].String() != "5000.00 VES" {
			t.Fatalf("thresholds changed by a refused form: %+v", cfg)
		}
		wantBody(t, b.get("/alerts"), `value="5.000,00 VES"`)

		// The page's own values, sent back unchanged, are read again.
		again := url.Values{"csrf": {b.csrf()}, "key": {"web:al3"}, "min_capital.VES": {"5.000,00 VES"}, "max_batch_age": {"48"}, "queue_cover": {"on"}}
		wantRedirect(t, b.post("/alerts", again), "/alerts")
		cfg := apptest.Must(e.Svc.AlertThresholds(e.As(apptest.Boot)))
		if got := cfg.MinCapital["VES"].String(); got != "5000.00 VES" || !cfg.QueueCover {
			t.Fatalf("thresholds %+v", cfg)
		}
		wantBody(t, b.get("/audit?action=config.set"), "<td>ajuste alert.thresholds</td>")

		bt := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		if got := apptest.Must(e.Svc.CheckAlerts(cambista.WithActor(context.Background(), cambista.SystemActor))); got.Raised != 1 {
			t.Fatalf("check %+v, want the low capital raised", got)
		}
		alert := apptest.Must(e.Svc.ActiveAlerts(e.As(apptest.Boot)))[0]
		want := es(alert.Message())
		if !strings.Contains(want, "#"+itoa(bt.ID)) {
			t.Fatalf("message %q", want)
		}
		wantBody(t, b.get("/"), `id="alert-`+itoa(alert.ID)+`"`, want, `<span class="who" title="40">user 40</span>`)
		wantBody(t, b.get("/alerts"), `id="alert-`+itoa(alert.ID)+`"`, want)

		c := e.browser()
		c.loginDiscord(string(apptest.Cashier))
		wantStatus(t, c.get("/alerts"), http.StatusForbidden)
		wantStatus(t, c.post("/alerts", url.Values{"csrf": {c.csrf()}, "min_capital.VES": {"1"}}), http.StatusForbidden)
	})
}
