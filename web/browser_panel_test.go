package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
)

// TestBrowserEverydayActions drives, in headless Chromium, the safety of
// everyday actions: a far rate asks first, a refused form comes back with
// what was typed on its own page (no POST address to reload), a batch's
// taken transfers are finished from its page and then it closes after a
// confirmation; and the layout: tables fit at 1366 px, the page does not
// widen at 390 px, dates keep to one line, and only the applicable switch
// is offered.
func TestBrowserEverydayActions(t *testing.T) {
	chromium(t)
	e := sqlite(t, nil)
	batchID, _ := seedWeek(t, e)
	nameEveryone(t, e)
	// Three more transfers taken into a new batch of the cashier's, one for
	// each kind of ending.
	apptest.Must(e.Svc.CloseBatch(e.As(apptest.Cashier), "", batchID)) // spent: 120,00 VES left
	capital := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "20000", CostRate: "41"}))
	var taken []*cambista.Transfer
	for _, amount := range []string{"50", "60", "70"} {
		tr := e.Send(apptest.Client, amount)
		taken = append(taken, apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID)))
	}
	p := newPage(t, e)
	p.do("log in", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(e.bootstrapLink()), chromedp.WaitVisible(chromedp.CSS("#pending-approvals")))

	t.Run("FarRateAsksFirst", func(t *testing.T) {
		p.t = t
		p.do("type a rate 30 times the current one", chromedp.Navigate(e.url+"/catalog"),
			chromedp.SetValue(chromedp.CSS(`#set-rate select[name="base"]`), "USD"),
			chromedp.SetValue(chromedp.CSS(`#set-rate select[name="quote"]`), "VES"),
			chromedp.SendKeys(chromedp.CSS(`#set-rate input[name="value"]`), "1.234,5678"),
			chromedp.Click(chromedp.CSS("#set-rate button")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
		p.wantText("#confirm", "actual 40")  // the current rate
		p.wantText("#confirm", "1.234,5678") // the new one, as Spanish writes it
		p.wantText("#confirm", "2.986,4 %")
		if r := apptest.Must(e.Svc.CurrentRate(e.As(apptest.Boot), "USD", "VES")); r.Value.String() != "40" {
			t.Fatalf("the rate went live before confirming: %s", r.Value)
		}
		p.do("go back", chromedp.Click(chromedp.CSS("#confirm-no")), chromedp.WaitVisible(chromedp.CSS("#set-rate")))
		p.do("type 41,5 instead", chromedp.SetValue(chromedp.CSS(`#set-rate select[name="base"]`), "USD"),
			chromedp.SetValue(chromedp.CSS(`#set-rate select[name="quote"]`), "VES"),
			chromedp.SendKeys(chromedp.CSS(`#set-rate input[name="value"]`), "41,5"),
			chromedp.Click(chromedp.CSS("#set-rate button")), chromedp.WaitVisible(chromedp.CSS("#history")))
		p.wantText(".flash.ok", "41,5")
		p.do("a far one, confirmed", chromedp.SendKeys(chromedp.CSS(`#set-rate input[name="value"]`), "50"),
			chromedp.Click(chromedp.CSS("#set-rate button")), chromedp.WaitVisible(chromedp.CSS("#confirm")),
			chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS("#history")))
		p.wantText("#history tbody tr:first-child", "50")
	})

	t.Run("RefusedFormKeepsValues", func(t *testing.T) {
		p.t = t
		p.do("add a currency with a bad code", chromedp.Navigate(e.url+"/catalog"),
			chromedp.SetValue(chromedp.CSS(`#add-currency input[name="code"]`), "US"),
			chromedp.SetValue(chromedp.CSS(`#add-currency input[name="name"]`), "Dólar a medias"),
			chromedp.SetValue(chromedp.CSS(`#add-currency input[name="exponent"]`), "3"),
			chromedp.SetValue(chromedp.CSS(`#add-currency select[name="rounding"]`), "half_up"),
		)
		// The browser would refuse "US" itself; the server's refusal is what is tested.
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.querySelector('#add-currency input[name="code"]').removeAttribute("pattern") === undefined`)); err != nil {
			t.Fatal(err)
		}
		p.do("send it", chromedp.Click(chromedp.CSS("#add-currency button")), chromedp.WaitVisible(chromedp.CSS(".flash.error")))
		if got := p.path(); got != "/catalog" {
			t.Fatalf("a refused form left the browser on %s", got)
		}
		for field, want := range map[string]string{"code": "US", "name": "Dólar a medias", "exponent": "3"} {
			got, err := chromedp.Run(p.ctx, chromedp.Value(chromedp.CSS(`#add-currency input[name="`+field+`"]`)))
			if err != nil || got != want {
				t.Errorf("%s: %q after the refusal, want %q (%v)", field, got, want, err)
			}
		}
		got, _ := chromedp.Run(p.ctx, chromedp.Value(chromedp.CSS(`#add-currency select[name="rounding"]`)))
		if got != "half_up" {
			t.Errorf("rounding %q after the refusal", got)
		}
		p.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#add-currency")))
		if n := len(apptest.Must(e.Svc.Currencies(e.As(apptest.Boot)))); n != 2 {
			t.Fatalf("%d currencies", n)
		}
	})

	t.Run("FinishTakenTransfers", func(t *testing.T) {
		p.t = t
		page := fmt.Sprintf("%s/batches/%d", e.url, capital.ID)
		p.do("open the batch", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#open-transfers")))
		row := func(i int) string { return fmt.Sprintf("#open-%d", taken[i].ID) }
		p.do("complete the first", chromedp.SendKeys(chromedp.CSS(row(0)+` input[name="reference"]`), "REF-77"),
			chromedp.SendKeys(chromedp.CSS(row(0)+` input[name="proof"]`), "https://example.com/77.png"),
			chromedp.Click(chromedp.CSS(row(0)+" .complete button")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		p.wantText(".flash.ok", fmt.Sprintf("Transferencia #%d completada", taken[0].ID))
		p.do("reject the second", chromedp.SendKeys(chromedp.CSS(row(1)+` input[name="reason"]`), "cuenta cerrada"),
			chromedp.Click(chromedp.CSS(row(1)+" .reject button")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		p.wantText(".flash.ok", fmt.Sprintf("Transferencia #%d rechazada", taken[1].ID))
		p.do("release the third", chromedp.Click(chromedp.CSS(row(2)+" .release button")), chromedp.WaitVisible(chromedp.CSS(".flash.ok")))
		p.wantText(".flash.ok", fmt.Sprintf("Transferencia #%d liberada", taken[2].ID))
		want := map[cambista.ID]cambista.TransferStatus{taken[0].ID: cambista.TransferCompleted, taken[1].ID: cambista.TransferRejected, taken[2].ID: cambista.TransferPending}
		for id, st := range want {
			tr := apptest.Must(e.Svc.Transfer(e.As(apptest.Boot), id))
			if tr.Status != st {
				t.Errorf("transfer %d is %s, want %s", id, tr.Status, st)
			}
			if id == taken[0].ID && (tr.Reference != "REF-77" || tr.ProofURL != "https://example.com/77.png") {
				t.Errorf("completed with %q %q", tr.Reference, tr.ProofURL)
			}
		}
		p.do("close it", chromedp.Click(chromedp.CSS("#close-batch button")), chromedp.WaitVisible(chromedp.CSS("#confirm")))
		p.wantText("#confirm", fmt.Sprintf("¿Cerrar el lote #%d?", capital.ID))
		if b := apptest.Must(e.Svc.BatchStatus(e.As(apptest.Boot), capital.ID)); b.Batch.Status != cambista.BatchOpen {
			t.Fatal("closed before confirming")
		}
		p.do("confirm", chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS("#summary")))
		p.wantText("#batch-state", "cerrado")
	})

	t.Run("OnlyTheApplicableSwitch", func(t *testing.T) {
		p.t = t
		p.do("open the catalog", chromedp.Navigate(e.url+"/catalog"), chromedp.WaitVisible(chromedp.CSS("#currencies")))
		p.wantText("#currencies tbody tr:first-child", "Deshabilitar")
		if strings.Contains(p.text("#currencies tbody tr:first-child"), "Habilitar") {
			t.Fatal("an enabled currency is offered Enable")
		}
	})

	t.Run("Layout", func(t *testing.T) {
		p.t = t
		pages := []string{"/", "/batches", fmt.Sprintf("/batches/%d", batchID), "/transfers", "/queue", "/audit", "/catalog", "/users", "/rules", "/sessions", "/approvals"}
		for _, width := range []int64{1366, 390} {
			p.do("resize", chromedp.EmulateViewport(width, 900))
			for _, path := range pages {
				p.do("open "+path, chromedp.Navigate(e.url+path), chromedp.WaitVisible(chromedp.CSS("main")))
				wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
				if err != nil || wide {
					t.Errorf("%d px %s: the page is wider than the screen (%v)", width, path, err)
				}
				if width != 1366 {
					continue
				}
				over, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`(() => { const m = document.querySelector("main"); const edge = m.getBoundingClientRect().right - parseFloat(getComputedStyle(m).paddingRight); return [...m.querySelectorAll("table")].filter(t => t.checkVisibility() && t.getBoundingClientRect().right > edge + 1).map(t => t.id || t.className) })()`))
				if err != nil || len(over) > 0 {
					t.Errorf("1366 px %s: tables overflow the content column: %v %v", path, over, err)
				}
				tall, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("time")].filter(t => t.getClientRects().length > 1 || t.getBoundingClientRect().height > 30).length`))
				if err != nil || tall > 0 {
					t.Errorf("1366 px %s: %d dates wrap (%v)", path, tall, err)
				}
			}
		}
	})
}
