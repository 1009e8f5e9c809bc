package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/cambista/cambista/web"
)

// completed runs the worked example's transfer of 100 USD to completion.
func (e *env) completed() *cambista.Transfer {
	e.t.Helper()
	apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	return apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R1"}))
}

// TestRefundAndReverseInPanel: on a completed transfer's page a superuser
// refunds part of it (outside), which a replayed form does not repeat,
// then reverses the rest to the client's balance after confirming. Bad
// amounts, too much, a transfer no longer completed and a cashier are
// refused with the reason, and nothing moves.
func TestRefundAndReverseInPanel(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.Account(apptest.Client, "USD")
		tr := e.completed()
		page := "/transfers/" + itoa(tr.ID)
		usd := tr.Send.Currency

		cashier := e.browser()
		cashier.loginDiscord(string(apptest.Cashier))
		if r := cashier.get(page); strings.Contains(r.body, `id="refund-form"`) {
			t.Fatal("a cashier is offered a refund")
		}
		wantStatus(t, cashier.post(page+"/refund", url.Values{"csrf": {cashier.csrf()}, "amount": {"1"}, "reason": {"x"}}), http.StatusForbidden)

		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		wantBody(t, b.get(page), `id="refund-form"`, `id="reverse-form"`, `id="refund-left">100,00 USD`)
		csrf := b.csrf()
		refund := func(key, amount, to, reason string) *response {
			return b.post(page+"/refund", url.Values{"csrf": {csrf}, "key": {key}, "form": {"refund"}, "amount": {amount}, "to": {to}, "reason": {reason}})
		}
		wantBody(t, b.refused(refund("web:f0", "diez", "outside", "cobro de más"), page), `value="diez"`, `value="cobro de más"`)
		wantBody(t, b.refused(refund("web:f0", "150", "outside", "cobro de más"), page),
			es(cambista.MsgRefundTooMuch.Msg("ID", tr.ID, "Left", tr.Send, "Amount", money.New(15000, usd))))
		wantBody(t, b.refused(refund("web:f0", "10", "outside", " "), page), es(cambista.MsgReasonRequired.Msg()))
		if rs := apptest.Must(e.Svc.Refunds(e.As(apptest.Boot), cambista.RefundFilter{TransferID: tr.ID})); len(rs) != 0 {
			t.Fatalf("refused forms made refunds %+v", rs)
		}

		wantRedirect(t, refund("web:f1", "10", "outside", "cobro de más"), page)
		wantRedirect(t, refund("web:f1", "10", "outside", "cobro de más"), page)
		rs := apptest.Must(e.Svc.Refunds(e.As(apptest.Boot), cambista.RefundFilter{TransferID: tr.ID}))
		if len(rs) != 1 || rs[0].Status != cambista.RefundPosted || rs[0].ToBalance || rs[0].Amount.Minor != 1000 {
			t.Fatalf("refunds after a replayed form %+v", rs)
		}
		wantBody(t, b.get(page), es(web.MsgRefundAsked.Msg("ID", rs[0].ID, "Kind", cambista.WordFor("refund"), "Amount", rs[0].Amount, "Posted", true, "ToBalance", false)),
			`id="refund-`+itoa(rs[0].ID)+`"`, "cobro de más", `id="refund-left">90,00 USD`,
			`<td>house:receipts:USD</td><td class="num">-10,00 USD</td>`)

		reverse := url.Values{"csrf": {csrf}, "key": {"web:v1"}, "form": {"reverse"}, "to": {"balance"}, "reason": {"beneficiario equivocado"}}
		wantRedirect(t, b.post(page+"/reverse", reverse), "/confirm")
		wantBody(t, b.get("/confirm"), es(web.MsgConfirmReverse.Msg("ID", tr.ID)))
		reverse.Set("confirmed", "yes")
		wantRedirect(t, b.post(page+"/reverse", reverse), page)
		r := b.get(page)
		wantBody(t, r, `id="transfer-state">revertida`, "beneficiario equivocado")
		if strings.Contains(r.body, `id="refund-form"`) {
			t.Fatal("a reversed transfer still offers a refund")
		}
		views := apptest.Must(e.Svc.Accounts(e.As(apptest.Client), ""))
		if views[0].Balance.String() != "90.00 USD" {
			t.Fatalf("after the reversal the client holds %s", views[0].Balance)
		}
		wantBody(t, b.refused(refund("web:f2", "1", "outside", "otra vez"), page),
			es(cambista.MsgRefundNotCompleted.Msg("ID", tr.ID, "Status", cambista.WordFor("reversed"))))
		if v, err := app.CheckLedger(cambista.WithActor(t.Context(), cambista.SystemActor), e.Store); err != nil || len(v) != 0 {
			t.Fatalf("ledger check: %v %v", v, err)
		}
	})
}

// TestRefundInPanelWaitsForSecond: a refund above the two-superuser limit
// asked on the transfer's page waits in approvals, and the page says so.
func TestRefundInPanelWaitsForSecond(t *testing.T) {
	c := storetest.NewClock(time.Now().UTC().Truncate(time.Microsecond))
	e := newEnvWith(t, storetest.Open(t, "sqlite", store.Options{Now: c.Now}), c,
		app.Config{RefundTwoSuperusersAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}}, nil)
	tr := e.completed()
	page := "/transfers/" + itoa(tr.ID)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	wantRedirect(t, b.post(page+"/refund", url.Values{"csrf": {b.csrf()}, "key": {"web:f1"}, "amount": {"60"}, "to": {"outside"}, "reason": {"cobro doble"}}), page)
	rs := apptest.Must(e.Svc.Refunds(e.As(apptest.Boot), cambista.RefundFilter{TransferID: tr.ID}))
	if len(rs) != 1 || rs[0].Status != cambista.RefundRequested {
		t.Fatalf("refunds %+v", rs)
	}
	wantBody(t, b.get(page), es(web.MsgRefundAsked.Msg("ID", rs[0].ID, "Kind", cambista.WordFor("refund"), "Amount", rs[0].Amount, "Posted", false, "ToBalance", false)),
		`id="refund-left">40,00 USD`)
	wantBody(t, b.get("/approvals"), `id="refund-`+itoa(rs[0].ID)+`"`, "60,00 USD", "cobro doble")
}
