package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/web"
)

// proofPNG is the start of a PNG file: enough for its type to be sniffed.
var proofPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{3}, 100)...)

// TestTransferProofPage: a completed transfer's page shows its proof of
// payment (name, type, SHA-256) and its dispute; /transfers/{id}/proof
// serves the file's bytes as the type sniffed, inline, with nosniff, to
// panel users who may read the transfer, and to nobody else. The open
// dispute waits on the approvals page.
func TestTransferProofPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		tr := e.Send(apptest.Client, "100")
		apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R", Proof: &cambista.Proof{Filename: "recibo.png", Data: proofPNG}}))
		d := apptest.Must(e.Svc.OpenDispute(e.As(apptest.Client), "", app.OpenDispute{TransferID: tr.ID, Reason: "nothing arrived"}))
		page, proof := "/transfers/"+itoa(tr.ID), "/transfers/"+itoa(tr.ID)+"/proof"
		sum := sha256.Sum256(proofPNG)

		b := e.browser()
		wantRedirect(t, b.get(proof), "/login") // not logged in
		b.loginDiscord(string(apptest.Cashier))
		r := b.get(page)
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `href="`+proof+`"`, "recibo.png", "image/png", `id="proof-sha">`+hex.EncodeToString(sum[:])+`<`,
			`id="proof-image"`, `id="dispute-`+itoa(d.ID)+`"`, "nothing arrived", "abierta")
		r = b.get(proof)
		wantStatus(t, r, http.StatusOK)
		if r.body != string(proofPNG) || r.Header.Get("Content-Type") != "image/png" || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
			r.Header.Get("Content-Disposition") != `inline; filename=recibo.png` {
			t.Fatalf("served %d bytes with %v", len(r.body), r.Header)
		}
		wantStatus(t, b.get("/transfers/"+itoa(e.Send(apptest.Client, "5").ID)+"/proof"), http.StatusNotFound)

		// Another cashier may not read a transfer of someone else's batch.
		o := e.browser()
		o.loginDiscord(string(apptest.Other))
		wantStatus(t, o.get(proof), http.StatusForbidden)

		s := e.browser()
		s.loginDiscord(string(apptest.Boot))
		wantBody(t, s.get("/approvals"), `id="disputes"`, `id="dispute-`+itoa(d.ID)+`"`, `href="`+page+`"`)
	})
}

// TestDisputeDaysSetting: a superuser sets the dispute window on the
// alerts page; a bad number is refused with its reason and changes
// nothing; a cashier may not.
func TestDisputeDaysSetting(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.loginDiscord(string(apptest.Boot))
		wantBody(t, b.get("/alerts"), `name="dispute_days" inputmode="numeric" size="4" required value="30"`)
		wantRedirect(t, b.post("/alerts/disputes", url.Values{"csrf": {b.csrf()}, "key": {"web:dd1"}, "dispute_days": {"45"}}), "/alerts")
		wantBody(t, b.get("/alerts"), es(web.MsgDisputeDaysSaved.Msg("Days", 45)), `value="45"`)
		r := b.refused(b.post("/alerts/disputes", url.Values{"csrf": {b.csrf()}, "key": {"web:dd2"}, "dispute_days": {"mil"}}), "/alerts")
		wantBody(t, r, es(cambista.MsgDisputeDays.Msg("Input", "mil")), `value="mil"`)
		if days := apptest.Must(e.Svc.DisputeDays(e.As(apptest.Boot))); days != 45 {
			t.Fatalf("the window is %d days", days)
		}
		c := e.browser()
		c.loginDiscord(string(apptest.Cashier))
		wantStatus(t, c.post("/alerts/disputes", url.Values{"csrf": {c.csrf()}, "dispute_days": {"1"}}), http.StatusForbidden)
	})
}
