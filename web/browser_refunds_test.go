package web_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app/apptest"
)

// TestBrowserRefunds drives, in headless Chromium, a superuser's refund
// and reversal of a completed transfer from its page: a bad amount comes
// back refused with what was typed; a partial refund returned outside is
// listed with what is left; in English, the reversal to the client's
// balance asks first, then the transfer shows reversed and offers nothing
// more.
func TestBrowserRefunds(t *testing.T) {
	chromium(t)
	e := sqlite(t, nil)
	e.Account(apptest.Client, "USD")
	tr := e.completed()
	nameEveryone(t, e)
	shots := os.Getenv("CAMBISTA_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	p := newPage(t, e)
	page := fmt.Sprintf("%s/transfers/%d", e.url, tr.ID)
	p.do("log in", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(e.bootstrapLink()), chromedp.WaitVisible(chromedp.CSS("#pending-approvals")))
	p.do("open the transfer", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#refund-form")))
	p.wantText("#refund-left", "100,00 USD")

	p.do("refund a bad amount", chromedp.SendKeys(chromedp.CSS(`#refund-form input[name="amount"]`), "diez"),
		chromedp.SendKeys(chromedp.CSS(`#refund-form input[name="reason"]`), "cobro de más"),
		chromedp.SetValue(chromedp.CSS(`#refund-form select[name="to"]`), "outside"),
		chromedp.Click(chromedp.CSS("#refund-form button")), chromedp.WaitVisible(chromedp.CSS(".flash.error")))
	for field, want := range map[string]string{`input[name="amount"]`: "diez", `input[name="reason"]`: "cobro de más", `select[name="to"]`: "outside"} {
		if got, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.CSS("#refund-form "+field))); err != nil || got != want {
			t.Errorf("%s: %q after the refusal, want %q (%v)", field, got, want, err)
		}
	}

	p.do("refund 10,00", chromedp.SetValue(chromedp.CSS(`#refund-form input[name="amount"]`), "10,00"),
		chromedp.Click(chromedp.CSS("#refund-form button")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
	p.wantText(".flash.ok", "asentado como dinero devuelto por fuera")
	p.wantText("#refunds tbody", "cobro de más")
	p.wantText("#refund-left", "90,00 USD")
	p.screenshot(shots, "panel-refund.png")

	p.do("switch to English", chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS("#reverse-form")))
	p.wantText("#refund-left", "90.00 USD")
	p.do("reverse to the balance", chromedp.SendKeys(chromedp.CSS(`#reverse-form input[name="reason"]`), "wrong beneficiary"),
		chromedp.Click(chromedp.CSS("#reverse-form button")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
	p.wantText("#confirm", fmt.Sprintf("Reverse transfer #%d?", tr.ID))
	p.do("confirm", chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS("#refunds")))
	p.wantText("#transfer-state", "reversed")
	p.wantText(".flash.ok", "posted to the client's balance")
	p.screenshot(shots, "panel-reversal.png")
	if n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#refund-form, #reverse-form").length`)); err != nil || n != 0 {
		t.Fatalf("a reversed transfer still offers %d forms (%v)", n, err)
	}
	if got := apptest.Must(e.Svc.Transfer(e.As(apptest.Boot), tr.ID)); got.Status != cambista.TransferReversed {
		t.Fatalf("transfer %s", got.Status)
	}
	if views := apptest.Must(e.Svc.Accounts(e.As(apptest.Client), "")); views[0].Balance.String() != "90.00 USD" {
		t.Fatalf("the client holds %s", views[0].Balance)
	}
	t.Logf("screenshots in %s", shots)
}
