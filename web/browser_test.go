package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
)

// chromium finds Debian's chromium, or skips: the browser tests need a
// real browser, which CI installs.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("BROWSER TESTS SKIPPED: no chromium binary on PATH (apt-get install chromium)")
	return ""
}

// page is one headless Chromium tab on the panel. It records the console,
// so that a Content-Security-Policy violation or a script error fails the
// test.
type page struct {
	t   *testing.T
	e   *env
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

func newPage(t *testing.T, e *env) *page {
	exe := chromium(t)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // a container's root has no user namespaces for Chromium's sandbox
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancel)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	p := &page{t: t, e: e, ctx: ctx}
	// The first action starts the browser; the console is read from then on.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
				p.mu.Lock()
				p.problems = append(p.problems, m.String())
				p.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, m := range p.problems {
			t.Errorf("browser console: %s", m)
		}
	})
	return p
}

// do runs actions with a time limit, failing the test with what was
// being done.
func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("%s: %v (at %s)", what, err, loc)
	}
}

func (p *page) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// wantText waits until the element shows the text. After a click the old
// page may still be on screen for a moment, and a poll inside the page dies
// with it when the new one loads, so the wait is chromedp's query, which
// runs the expression again until it finds the element, across loads.
func (p *page) wantText(sel, want string) {
	p.t.Helper()
	js, _ := json.Marshal([]string{sel, want})
	expr := `(([sel, want]) => { const e = document.querySelector(sel); return e && e.textContent.includes(want) ? e : null; })(` + string(js) + `)`
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.JSPath(expr))); err != nil {
		p.t.Fatalf("%s: %q, want %q: %v", sel, p.text(sel), want, err)
	}
}

func (p *page) path() string {
	p.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, p.e.url)
}

// chartsDrawn waits until every chart on the page has been drawn by
// Chart.js from its JSON.
func (p *page) chartsDrawn() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => {
		const all = [...document.querySelectorAll("canvas[data-chart]")];
		return all.length > 0 && all.every(c => c.dataset.ready === "1" && Chart.getChart(c) !== undefined);
	})()`, chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		errs, _ := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("canvas[data-chart]")].map(c => c.dataset.error || "")`))
		p.t.Fatalf("charts not drawn on %s: %v %v", p.path(), err, errs)
	}
}

// screenshot saves the whole page as a PNG in dir.
func (p *page) screenshot(dir, name string) string {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// seedWeek gives the dashboard a week of business: another cashier's batch
// that paid a transfer a day for six days and was closed yesterday, and
// the worked example's batch, open today with its 100.00 USD transfer
// completed, and a third batch paying a transfer; another transfer waits in
// the queue and an account request waits for approval.
func seedWeek(t *testing.T, e *env) (workedBatch cambista.ID, account *cambista.Account) {
	t.Helper()
	now := e.clock.Now()
	e.clock.Add(-6 * 24 * time.Hour)
	apptest.Must(e.Svc.SetRate(e.As(apptest.Boot), "", app.SetRate{Base: "USD", Quote: "VES", Value: "39.80"}))
	old := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "40000", CostRate: "41.20"}))
	for i, amount := range []string{"60", "120", "90", "150", "75", "130"} {
		tr := e.Send(apptest.Client, amount)
		apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Other), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Other), "", app.Complete{ID: tr.ID, Reference: fmt.Sprintf("OLD-%d", i+1)}))
		e.clock.Add(24 * time.Hour)
	}
	apptest.Must(e.Svc.CloseBatch(e.As(apptest.Other), "", old.ID))
	e.clock.Add(now.Sub(e.clock.Now()))

	b := apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4.000,00", CostRate: "41,00"}))
	tr := e.Send(apptest.Client, "100")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Cashier), "", tr.ID))
	apptest.Must(e.Svc.CompleteTransfer(e.As(apptest.Cashier), "", app.Complete{ID: tr.ID, Reference: "REF-001"}))
	apptest.Must(e.Svc.OpenBatch(e.As(apptest.Other), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "8000", CostRate: "40.90"}))
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Other), "", e.Send(apptest.Client, "25").ID))
	e.Send(apptest.Client, "40")
	return b.ID, apptest.Must(e.Svc.RequestAccount(e.As(apptest.Client), "", "USD"))
}

// TestBrowser drives the panel in headless Chromium: the first login with
// the bootstrap link, an approval, a rate, a batch closed with its summary,
// the audit chain verified, the language switched, logins through
// (fake) Discord as a superuser and as a cashier.
func TestBrowser(t *testing.T) {
	chromium(t)
	e := sqlite(t, nil)
	batchID, account := seedWeek(t, e)
	nameEveryone(t, e)
	// CAMBISTA_SCREENSHOTS=docs (from the module's root: ../docs) writes
	// the README's screenshots; a temporary directory otherwise.
	shots := os.Getenv("CAMBISTA_SCREENSHOTS")
	if shots == "" {
		var err error
		if shots, err = os.MkdirTemp("", "cambista-panel-"); err != nil {
			t.Fatal(err)
		}
	}
	p := newPage(t, e)
	p.do("a laptop's screen", chromedp.EmulateViewport(1366, 800))

	t.Run("BootstrapLink", func(t *testing.T) {
		p.t = t
		p.do("open the bootstrap link", chromedp.Navigate(e.bootstrapLink()), chromedp.WaitVisible(chromedp.CSS("#pending-approvals")))
		if got := p.path(); got != "/" {
			t.Fatalf("landed on %s", got)
		}
		p.wantText("h1", "Tablero")
		p.wantText("#pending-approvals", "1")
		p.chartsDrawn()
	})

	t.Run("ApproveAccount", func(t *testing.T) {
		p.t = t
		row := fmt.Sprintf("#account-%d", account.ID)
		p.do("approve", chromedp.Navigate(e.url+"/approvals"), chromedp.Click(chromedp.CSS(row+" button.approve")),
			chromedp.WaitVisible(chromedp.CSS("td.done")))
		p.wantText("td.done", fmt.Sprintf("Cuenta #%d aprobada.", account.ID))
		got := apptest.Must(e.Svc.Accounts(e.As(apptest.Boot), apptest.Client))
		if got[0].Account.Status != cambista.AccountApproved || got[0].Account.DecidedBy != apptest.Boot {
			t.Fatalf("account %+v", got[0].Account)
		}
	})

	t.Run("SetRate", func(t *testing.T) {
		p.t = t
		p.do("set a rate", chromedp.Navigate(e.url+"/catalog"),
			chromedp.SetValue(chromedp.CSS(`#set-rate select[name="base"]`), "USD"),
			chromedp.SetValue(chromedp.CSS(`#set-rate select[name="quote"]`), "VES"),
			chromedp.SendKeys(chromedp.CSS(`#set-rate input[name="value"]`), "41,5"),
			chromedp.Click(chromedp.CSS("#set-rate button")),
			chromedp.WaitVisible(chromedp.CSS("#history")))
		if got := p.path(); got != "/rates/USD/VES" {
			t.Fatalf("landed on %s", got)
		}
		p.wantText(".flash.ok", "Tasa USD/VES fijada en 41,5.")
		p.wantText("#history tbody tr:first-child", "41,5")
		p.wantText("#history tbody tr:last-child", "39,8")
		p.chartsDrawn()
		// The axis writes numbers as Spanish does.
		ticks, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](`Chart.getChart(document.querySelector("#chart-rates")).scales.y.ticks.map(t => t.label)`))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(ticks, func(s string) bool { return strings.Contains(s, ",") }) || slices.ContainsFunc(ticks, func(s string) bool { return strings.Contains(s, ".") }) {
			t.Fatalf("rate axis ticks %q: want Spanish decimals", ticks)
		}
	})

	t.Run("CloseBatch", func(t *testing.T) {
		p.t = t
		p.do("open the batch", chromedp.Navigate(fmt.Sprintf("%s/batches/%d", e.url, batchID)), chromedp.WaitVisible(chromedp.CSS("#remaining")))
		p.wantText("#remaining", "120,00 VES")
		p.do("close it", chromedp.Click(chromedp.CSS("#close-batch button")), chromedp.WaitVisible(chromedp.CSS("#confirm")),
			chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS("#summary")))
		p.wantText(".flash.ok", fmt.Sprintf("Lote #%d cerrado.", batchID))
		p.wantText("#batch-state", "cerrado")
		p.wantText("#net-profit", "4,37 USD")
		p.wantText("#summary", "94,63 USD")  // the payouts' cost
		p.wantText("#summary", "120,00 VES") // the capital returned
		t.Logf("batch screenshot: %s", p.screenshot(shots, "panel-batch.png"))
	})

	t.Run("VerifyAudit", func(t *testing.T) {
		p.t = t
		p.do("verify the chain", chromedp.Navigate(e.url+"/audit"), chromedp.Click(chromedp.CSS("#verify")),
			chromedp.WaitVisible(chromedp.CSS("#verify-text")))
		n := apptest.Must(e.Svc.VerifyAudit(e.As(apptest.Boot)))
		p.wantText("#verify-text", fmt.Sprintf("ok: %d eventos", n))
		if p.path() != "/audit" {
			t.Fatalf("the check left the page: %s", p.path())
		}
	})

	t.Run("Dashboard", func(t *testing.T) {
		p.t = t
		p.do("open the dashboard", chromedp.Navigate(e.url+"/"), chromedp.WaitVisible(chromedp.CSS("#liquidity")))
		p.chartsDrawn()
		p.wantText("#pending-transfers", "1")
		p.wantText(".user", "Gerencia")
		p.wantText("#liquidity-VES", "8.000,00 VES") // held in the open batch left
		t.Logf("dashboard screenshot: %s", p.screenshot(shots, "panel-dashboard.png"))
		p.do("the batches", chromedp.Navigate(e.url+"/batches"), chromedp.WaitVisible(chromedp.CSS("#closed")))
		p.wantText("#closed", "Óscar Otero")
		t.Logf("batches screenshot: %s", p.screenshot(shots, "panel-batches.png"))
		p.do("back to the dashboard", chromedp.Navigate(e.url+"/"), chromedp.WaitVisible(chromedp.CSS("#liquidity")))
	})

	t.Run("SwitchLanguage", func(t *testing.T) {
		p.t = t
		p.do("switch to English", chromedp.Click(chromedp.CSS(`.lang button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`.lang button[value="en"][aria-pressed="true"]`)))
		p.wantText("h1", "Dashboard")
		p.chartsDrawn()
	})

	t.Run("DiscordSuperuser", func(t *testing.T) {
		p.t = t
		p.do("log out", chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login-discord")))
		e.discord.loginAs(string(apptest.Boot))
		p.do("log in with Discord", chromedp.Click(chromedp.CSS("#login-discord")), chromedp.WaitVisible(chromedp.CSS("#liquidity")))
		p.wantText("h1", "Dashboard")   // the language chosen before
		p.wantText(".user", "Gerencia") // by their name on Discord
	})

	t.Run("DiscordCashier", func(t *testing.T) {
		p.t = t
		p.do("log out", chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login-discord")))
		e.discord.loginAs(string(apptest.Cashier))
		p.do("log in with Discord", chromedp.Click(chromedp.CSS("#login-discord")), chromedp.WaitVisible(chromedp.CSS("#closed")))
		if got := p.path(); got != "/batches" {
			t.Fatalf("a cashier landed on %s", got)
		}
		p.wantText("#closed", fmt.Sprintf("#%d", batchID))
		p.do("open the audit log", chromedp.Navigate(e.url+"/audit"), chromedp.WaitVisible(chromedp.CSS("#form-error")))
		p.wantText("h1", "Esto no funcionó")
		p.wantText("#form-error", "leer la bitácora")
	})
	t.Logf("screenshots in %s", shots)
}

// value reads the value of a form field.
func (p *page) value(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}
