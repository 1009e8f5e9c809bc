package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
)

// TestBrowserProofAndDisputeDays: in headless Chromium, a transfer's page
// shows its proof of payment as an image the panel serves (within the
// page's Content-Security-Policy), and a superuser sets the dispute window
// on the alerts page.
func TestBrowserProofAndDisputeDays(t *testing.T) {
	chromium(t)
	e := sqlite(t, nil)
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var file bytes.Buffer
	if err := png.Encode(&file, img); err != nil {
		t.Fatal(err)
	}
	apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "R", Proof: &cambista.Proof{Filename: "pago.png", Data: file.Bytes()}}))

	p := newPage(t, e)
	p.do("log in", chromedp.Navigate(e.bootstrapLink()), chromedp.WaitVisible(chromedp.CSS("#pending-approvals")))
	p.do("open the transfer", chromedp.Navigate(e.url+"/transfers/"+itoa(tr.ID)), chromedp.WaitVisible(chromedp.CSS("#proof-image")))
	p.wantText("#proof", "pago.png")
	width, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`new Promise(ok => { const i = document.getElementById("proof-image"); i.complete ? ok(i.naturalWidth) : i.onload = () => ok(i.naturalWidth); })`, chromedp.EvalAwaitPromise))
	if err != nil || width != 3 {
		t.Fatalf("the proof shows %d pixels wide (%v), want the 3 of the file", width, err)
	}

	p.do("set the dispute window", chromedp.Navigate(e.url+"/alerts"),
		chromedp.SetValue(chromedp.CSS(`#dispute-days input[name="dispute_days"]`), "14"),
		chromedp.Click(chromedp.CSS("#dispute-days button")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	p.wantText(".flash.ok", "14 días")
	if days := apptest.Must(e.Svc.DisputeDays(e.As(apptest.Boot))); days != 14 {
		t.Fatalf("the window is %d days", days)
	}
}
