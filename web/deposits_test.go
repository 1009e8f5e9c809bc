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

// TestDepositsPage: the deposits waiting count on the dashboard; a cashier,
// who has no approvals page, checks them on the deposits page, cannot
// confirm their own nor one above the superuser limit, and confirms the
// rest; a superuser confirms the large one; the filters list them by state.
func TestDepositsPage(t *testing.T) {
	c := storetest.NewClock(time.Now().UTC().Truncate(time.Microsecond))
	e := newEnvWith(t, storetest.Open(t, "sqlite", store.Options{Now: c.Now}), c,
		app.Config{DepositSuperuserAbove: map[string]decimal.Decimal{"USD": decimal.NewFromInt(50)}}, nil)
	e.Account(apptest.Client, "USD")
	e.Account(apptest.Cashier, "USD")
	declare := func(who cambista.UserID, amount string) *cambista.Deposit {
		return apptest.Must(e.Svc.DeclareDeposit(e.As(who), "", app.DeclareDeposit{Currency: "USD", Amount: amount, Method: "Zelle"}))
	}
	big, small, own := declare(apptest.Client, "75"), declare(apptest.Client, "30"), declare(apptest.Cashier, "20")

	boot := e.browser()
	boot.loginDiscord(string(apptest.Boot))
	wantBody(t, boot.get("/"), `id="pending-approvals">3<`)

	b := e.browser()
	b.loginDiscord(string(apptest.Cashier))
	wantStatus(t, b.get("/approvals"), http.StatusForbidden)
	r := b.get("/deposits")
	wantBody(t, r, `href="/deposits" aria-current="page"`, `id="deposit-`+itoa(big.ID)+`"`, `id="deposit-`+itoa(small.ID)+`"`, `id="deposit-`+itoa(own.ID)+`"`, "75,00 USD")
	csrf := b.csrf()
	decide := func(d *cambista.Deposit, key string) *response {
		return b.post("/approvals/deposits/"+itoa(d.ID), url.Values{"csrf": {csrf}, "key": {key}, "decision": {"approve"}, "back": {"/deposits"}})
	}
	wantBody(t, b.refused(decide(own, "web:d1"), "/deposits"), es(cambista.MsgDepositOwn.Msg()))
	usd := big.Amount.Currency
	wantBody(t, b.refused(decide(big, "web:d2"), "/deposits"),
		es(cambista.MsgDepositNeedsSuperuser.Msg("ID", big.ID, "Amount", big.Amount, "Limit", money.New(5000, usd))))
	wantRedirect(t, decide(small, "web:d3"), "/deposits")
	r = b.get("/deposits")
	wantBody(t, r, es(web.MsgDepositDone.Msg("ID", small.ID, "Approved", true)))
	if strings.Contains(r.body, `id="deposit-`+itoa(small.ID)+`"`) {
		t.Fatal("the confirmed deposit is still among those waiting")
	}
	wantBody(t, b.get("/deposits?status=confirmed"), `id="deposit-`+itoa(small.ID)+`"`)

	wantRedirect(t, boot.post("/approvals/deposits/"+itoa(big.ID), url.Values{"csrf": {boot.csrf()}, "key": {"web:d4"}, "decision": {"approve"}}), "/approvals")
	wantBody(t, boot.get("/"), `id="pending-approvals">1<`)
	views := apptest.Must(e.Svc.Accounts(e.As(apptest.Client), ""))
	if views[0].Balance.String() != "105.00 USD" {
		t.Fatalf("the client holds %s", views[0].Balance)
	}
}
