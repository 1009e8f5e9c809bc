package web_test

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/i18n"
)

// TestTransfersPage lists the worked example's transfers, filters them by
// state, and shows one transfer: its figures, the quote's explanation, the
// completion's postings and its audit trail.
func TestTransfersPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		done := e.Send(apptest.Client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", done.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: done.ID, Reference: "REF-77"}))
		waiting := e.Send(apptest.Client, "25")
		doneURL := "/transfers/" + strconv.FormatInt(int64(done.ID), 10)
		waitingURL := "/transfers/" + strconv.FormatInt(int64(waiting.ID), 10)

		b := e.browser()
		b.loginDiscord(string(apptest.Boot))

		r := b.get("/transfers")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `href="/transfers"`, `href="`+doneURL+`"`, `href="`+waitingURL+`"`, "3.880,00 VES", "3,00 USD")
		if strings.Index(r.body, waitingURL) > strings.Index(r.body, doneURL) {
			t.Fatal("the list is not newest first")
		}

		r = b.get("/transfers?status=completed")
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `href="`+doneURL+`"`, `<td>completada</td>`)
		if strings.Contains(r.body, waitingURL) {
			t.Fatal("the completed filter shows a pending transfer")
		}
		r = b.get("/transfers?status=pending&client=" + string(apptest.Client))
		wantBody(t, r, `href="`+waitingURL+`"`)
		if strings.Contains(r.body, doneURL) {
			t.Fatal("the pending filter shows a completed transfer")
		}
		r = b.get("/transfers?cashier=" + string(apptest.Other))
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, doneURL) {
			t.Fatal("the cashier filter shows another cashier's transfer")
		}
		// Paging: one page back from the newer transfer reaches the older.
		r = b.get("/transfers?before=" + strconv.FormatInt(int64(waiting.ID), 10))
		wantBody(t, r, `href="`+doneURL+`"`)
		if strings.Contains(r.body, waitingURL) {
			t.Fatal("before= shows the transfer it starts from")
		}
		wantStatus(t, b.get("/transfers?from=yesterday"), http.StatusUnprocessableEntity)

		r = b.get(doneURL)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "3.880,00 VES", "100,00 USD", "REF-77", html.EscapeString(apptest.Beneficiary.Name), apptest.Beneficiary.AccountNumber)
		var commission string
		for _, m := range apptest.Must(e.Svc.Explain(e.As(apptest.Boot), done.QuoteID)) {
			if m.ID == cambista.MsgExplainCommission.ID {
				commission = i18n.T(i18n.ES, m)
			}
		}
		if commission == "" || !strings.Contains(commission, "3,00") {
			t.Fatalf("no commission line in the explanation: %q", commission)
		}
		wantBody(t, r, html.EscapeString(commission))
		wantBody(t, r, `id="postings"`, "house:receipts:USD", "batch:", "world:USD", "world:VES", "-3.880,00 VES",
			fmt.Sprintf("transferencia %d", done.ID)) // the entry's description, in Spanish
		wantBody(t, r, `id="events"`, "transfer.complete<", "transfer.take<", "transfer.create<")

		r = b.get(waitingURL)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `id="transfer-state">pendiente<`)
		if strings.Contains(r.body, `id="postings"`) {
			t.Fatal("a pending transfer shows postings")
		}
		wantStatus(t, b.get("/transfers/999999"), http.StatusNotFound)

		// A cashier sees the list and a transfer, without the audit trail.
		c := e.browser()
		c.loginDiscord(string(apptest.Cashier))
		wantBody(t, c.get("/transfers"), `href="`+doneURL+`"`)
		r = c.get(doneURL)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, "house:receipts:USD")
		if strings.Contains(r.body, `id="events"`) {
			t.Fatal("a cashier sees the audit trail")
		}
	})
}

func TestTransfersNeedLogin(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	wantRedirect(t, b.get("/transfers"), "/login?next=%2Ftransfers")
	wantRedirect(t, b.get("/transfers/1"), "/login?next=%2Ftransfers%2F1")
}

// TestCashierTransferDetails: a cashier opens the transfers of the queue
// and of their own batches; another cashier's transfer answers 403 without
// its beneficiary.
func TestCashierTransferDetails(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		taken := e.Send(apptest.Client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", taken.ID))
		waiting := e.Send(apptest.Client, "25")
		const other = cambista.UserID("78")
		e.User(other, cambista.RoleCashier)
		b := e.browser()
		b.loginDiscord(string(other))
		wantBody(t, b.get(fmt.Sprintf("/transfers/%d", waiting.ID)), apptest.Beneficiary.AccountNumber)
		r := b.get(fmt.Sprintf("/transfers/%d", taken.ID))
		wantStatus(t, r, http.StatusForbidden)
		if strings.Contains(r.body, apptest.Beneficiary.AccountNumber) || strings.Contains(r.body, apptest.Beneficiary.DocumentID) {
			t.Fatal("the refusal shows the beneficiary")
		}
		mine := e.browser()
		mine.loginDiscord(string(apptest.Cashier))
		wantBody(t, mine.get(fmt.Sprintf("/transfers/%d", taken.ID)), apptest.Beneficiary.AccountNumber)
	})
}
