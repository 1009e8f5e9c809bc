package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store/storetest"
)

var shots = flag.Bool("shots", false, "write the playground test's screenshots to docs/playground")

// The demo's people the test acts as.
const (
	demoBoss    = "900000000000000001" // Gerencia, superuser, Spanish
	demoCashier = "900000000000000022" // Ana Rivas, cashier, Spanish, no open batch
)

// TestPlaygroundTransfer plays a whole transfer in the playground, in a
// real browser, as `cambista serve --demo` offers it: a new member who
// reads English registers and picks a country, a superuser who reads
// Spanish approves their account, the member quotes and sends, a cashier
// opens a batch, takes and completes the transfer, the member sees the DM
// arrive without reloading, and the cashier closes the batch and sees the
// summary. It runs on a desktop's width and on a phone's.
func TestPlaygroundTransfer(t *testing.T) {
	exe := chromiumPath(t)
	for dialect, dsn := range dsns(t) {
		for _, width := range []int{1366, 390} {
			t.Run(fmt.Sprintf("%s/%dpx", dialect, width), func(t *testing.T) {
				vars := map[string]string{"CAMBISTA_DB": dsn, "CAMBISTA_DEMO": "true", "CAMBISTA_DISCORD_LANG": "en"}
				if width != 1366 {
					// A second database: the demo fills only an empty one.
					vars["CAMBISTA_DB"] = freshDSN(t, dialect)
				}
				base, logs, stop := start(t, vars, (*Main).Serve)
				defer stop()
				t.Cleanup(func() {
					if t.Failed() {
						t.Logf("serve's logs:\n%s", logs)
					}
				})
				if !strings.Contains(logs.String(), base+"/playground") {
					t.Fatalf("serve did not say where the playground is:\n%s", logs)
				}
				b := newBrowser(t, exe, width)
				b.shots = *shots && dialect == "sqlite"
				playTransfer(t, b, base)
			})
		}
	}
}

func freshDSN(t *testing.T, dialect string) string {
	if dialect == "postgres" {
		return storetest.PostgresSchema(t)
	}
	return filepath.Join(t.TempDir(), "c2.db")
}

func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("BROWSER TESTS SKIPPED: no chromium binary on PATH (apt-get install chromium)")
	return ""
}

// browser is headless Chromium with one tab per person; a script error or
// a Content-Security-Policy violation in any tab fails the test.
type browser struct {
	t      *testing.T
	alloc  context.Context
	first  context.Context // the first tab's
	width  int
	shots  bool
	n      int
	mu     sync.Mutex
	issues []string
}

func newBrowser(t *testing.T, exe string, width int) *browser {
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, 900),
	)
	t.Cleanup(cancel)
	b := &browser{t: t, alloc: alloc, width: width}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.issues) > 0 {
			t.Errorf("the page's console reported problems:\n%s", strings.Join(b.issues, "\n"))
		}
	})
	return b
}

// tab is one person's page.
type tab struct {
	b   *browser
	ctx context.Context
}

func (b *browser) tab() *tab {
	// The first tab starts the browser; the others open in it.
	parent := b.alloc
	if b.first != nil {
		parent = b.first
	}
	ctx, cancel := chromedp.NewContext(parent)
	if b.first == nil {
		b.first = ctx
	}
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(b.width), 900)); err != nil {
		b.t.Fatalf("start chromium: %v", err)
	}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
				b.mu.Lock()
				b.issues = append(b.issues, m.String())
				b.mu.Unlock()
			}
		}
	}()
	return &tab{b: b, ctx: ctx}
}

// run runs the actions within a deadline that a loaded machine meets.
func (tb *tab) run(what string, actions ...pageStep) {
	tb.b.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Minute) // the demo's notices go out first
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		defer cancel()
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
		tb.b.t.Fatalf("%s: %v\npage:\n%s", what, err, html)
	}
}

// open loads the page as the person, in the channel named, and waits for
// its script to have loaded the command table.
func (tb *tab) open(base, as, channel string) {
	tb.b.t.Helper()
	tb.run("open as "+as, chromedp.Navigate(base+"/playground?as="+as), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	if channel != "general" {
		tb.channel(channel)
	}
}

// channel follows the sidebar's link to the channel (the menu first, on a
// phone). The sidebar is live, so the link is found and clicked in one
// step.
func (tb *tab) channel(name string) {
	tb.b.t.Helper()
	attr := `[data-channel-name="` + name + `"]`
	link := `a` + attr
	tb.run("find #"+name, chromedp.WaitReady(chromedp.CSS(link)))
	if tb.b.width < 700 {
		tb.run("open the menu", chromedp.Click(chromedp.CSS("#menu")), chromedp.WaitVisible(chromedp.CSS(link)))
	}
	tb.run("go to #"+name, eval(`(() => { document.querySelector('`+link+`').click(); return true })()`),
		chromedp.WaitReady(chromedp.CSS(`a.here`+attr)),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
}

// command types a slash command: "/" and the first letters, a click on
// each suggestion (command, subcommand), then the options' fields; an
// option given as "=USD" is chosen from the bot's autocomplete.
func (tb *tab) command(path []string, opts ...[2]string) {
	tb.b.t.Helper()
	acts := []pageStep{chromedp.Click(chromedp.CSS("#box")), chromedp.SendKeys(chromedp.CSS("#box"), "/")}
	for _, name := range path {
		acts = append(acts, press(`#suggest li[data-cmd="`+name+`"]`, "click"))
	}
	for _, o := range opts {
		sel := `#options [data-option="` + o[0] + `"]`
		acts = append(acts, chromedp.WaitVisible(chromedp.CSS(sel)))
		if v, ok := strings.CutPrefix(o[1], "="); ok {
			pick := `#options label:has([data-option="` + o[0] + `"]) li[data-value="` + v + `"]`
			// The list takes its pick on mousedown, before the field's blur.
			acts = append(acts, chromedp.SendKeys(chromedp.CSS(sel), v[:2]), press(pick, "mousedown"))
			continue
		}
		acts = append(acts, chromedp.SendKeys(chromedp.CSS(sel), o[1]))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS("#send")))
	tb.run("/"+strings.Join(path, " "), acts...)
}

// waitText waits until a message of the channel contains all the texts.
func (tb *tab) waitText(texts ...string) {
	tb.b.t.Helper()
	js := `Array.from(document.querySelectorAll("#messages article")).some(a => ` + contains("a.innerText", texts) + `)`
	tb.run("wait for "+strings.Join(texts, " + "), poll(js))
}

// click presses the button (or picks the option of the select menu) whose
// custom ID starts with prefix, in the newest message that contains all
// the texts.
func (tb *tab) click(prefix, value string, texts ...string) {
	tb.b.t.Helper()
	find := `Array.from(document.querySelectorAll("#messages article")).filter(a => ` + contains("a.innerText", texts) +
		`).map(a => a.querySelector('[data-custom-id^="` + prefix + `"]:not([disabled])')).filter(Boolean).pop()`
	tb.run("find "+prefix+" in "+strings.Join(texts, " + "),
		poll(find+` !== undefined`))
	if value == "" {
		tb.run("click "+prefix, eval(`(() => { const b = `+find+`; b.scrollIntoView(); b.click(); return true })()`))
		return
	}
	tb.run("choose "+value, eval(`(() => { const s = `+find+`; s.scrollIntoView(); s.value = "`+value+
		`"; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`))
}

// form fills the dialog the bot opened and submits it.
func (tb *tab) form(fields ...[2]string) {
	tb.b.t.Helper()
	acts := []pageStep{chromedp.WaitVisible(chromedp.CSS("#modal"))}
	for _, f := range fields {
		acts = append(acts, chromedp.SendKeys(chromedp.CSS(`#modal [data-input="`+f[0]+`"]`), f[1]))
	}
	acts = append(acts, chromedp.Click(chromedp.CSS("#modal-submit")), chromedp.WaitNotVisible(chromedp.CSS("#modal")))
	tb.run("submit the form", acts...)
}

// press waits for the element to be shown and dispatches the mouse event
// on it, in one script run: the suggestion lists are drawn again as the
// person types and as answers come, so a node found in one step may be
// gone by the next.
func press(sel, event string) pageStep {
	return poll(`(() => { const e = document.querySelector(` + jsString(sel) + `);
		if (!e || !e.offsetParent) return false;
		e.dispatchEvent(new MouseEvent(` + jsString(event) + `, {bubbles: true, cancelable: true, view: window}));
		return true })()`)
}

// pageStep is an action of the page that returns nothing.
type pageStep = chromedp.Action[chromedp.Void]

// poll waits until the expression is true in the page.
func poll(js string) pageStep {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// The run's deadline bounds the wait, not Poll's own 30 seconds.
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(0))(ctx, t)
		return err
	})
}

// eval runs a script in the page.
func eval(js string) pageStep {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](js)(ctx, t)
		return err
	})
}

func contains(expr string, texts []string) string {
	var parts []string
	for _, s := range texts {
		parts = append(parts, expr+`.includes(`+jsString(s)+`)`)
	}
	return strings.Join(parts, " && ")
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }

// shot saves the page as docs/playground/NN-name.png when -shots is set.
func (tb *tab) shot(name string) {
	tb.b.t.Helper()
	tb.b.n++ // steps keep their numbers on a phone
	// On a phone, one step is enough to show the layout (the README's).
	if !tb.b.shots || tb.b.width < 700 && name != "complete" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.b.t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "playground")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.b.t.Fatal(err)
	}
	file := fmt.Sprintf("%02d-%s.png", tb.b.n, name)
	if tb.b.width < 700 {
		file = "phone-" + file
	}
	if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
		tb.b.t.Fatal(err)
	}
}

func playTransfer(t *testing.T, b *browser, base string) {
	// A new member joins; their Discord speaks English.
	client := b.tab()
	client.open(base, demoBoss, "general")
	if b.width < 700 {
		client.run("open the menu", chromedp.Click(chromedp.CSS("#menu")))
	}
	client.run("join", chromedp.Click(chromedp.CSS(`#join-panel summary`)), chromedp.WaitVisible(chromedp.CSS("#join-name")),
		chromedp.SendKeys(chromedp.CSS("#join-name"), "Lucy Brown"), eval(`(() => { document.getElementById("join-locale").value = "en-US"; return true })()`),
		chromedp.Click(chromedp.CSS("#join-button")),
		// The new member's page, not the one the join was typed on.
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]:not([data-as="`+demoBoss+`"])`)))
	as, err := chromedp.Run(client.ctx, chromedp.Evaluate[string](`document.body.dataset.as`))
	if err != nil {
		t.Fatal(err)
	}

	// They register (English: "register") and pick a country.
	client.command([]string{"register"})
	client.form([2]string{"name", "Lucy Brown"}, [2]string{"phone", "+1 555 0100"})
	client.waitText("Registered as Lucy Brown", "Only you can see this")
	client.shot("register")
	client.click("country", "US", "Registered as Lucy Brown")
	client.waitText("Saved: country US")

	// Bad input is refused as Discord's client refuses it, in English.
	client.command([]string{"account", "request"})
	client.run("refused", chromedp.WaitVisible(chromedp.CSS("#error")), poll(`document.getElementById("error").innerText.includes("required")`))
	client.run("clear", chromedp.SendKeys(chromedp.CSS("#box"), "\x1b")) // Escape
	client.command([]string{"account", "request"}, [2]string{"currency", "=USD"})
	client.waitText("USD", "Only you can see this", "/account request")
	client.shot("account-request")

	// The superuser, in Spanish, approves the account in #admin.
	boss := b.tab()
	boss.open(base, demoBoss, "admin")
	boss.click("acc-ok:", "", "@Lucy Brown")
	boss.waitText("@Lucy Brown", "approved by @Gerencia") // a channel's card speaks CAMBISTA_DISCORD_LANG
	boss.shot("approve")

	// The client, in their DMs, hears of it; the page stays open.
	client.channel("dm")
	client.waitText("approved")

	// They quote and send, from #general.
	sender := b.tab()
	sender.open(base, as, "general")
	sender.command([]string{"send"}, [2]string{"amount", "100"}, [2]string{"from", "=USD"}, [2]string{"to", "=VES"})
	sender.waitText("Quote", "Only you can see this")
	sender.shot("quote")
	sender.click("send:", "", "Quote")
	sender.form([2]string{"name", "Rosa Blanco"}, [2]string{"bank", "Banesco"}, [2]string{"number", "0102-0000-0001"}, [2]string{"document", "V-12000000"})
	sender.waitText("Rosa Blanco", "Only you can see this")

	// A cashier, in Spanish, opens a batch, takes the transfer and completes it.
	cashier := b.tab()
	cashier.open(base, demoCashier, "cashier")
	cashier.command([]string{"batch", "open"}, [2]string{"from", "=USD"}, [2]string{"to", "=VES"}, [2]string{"capital", "50000"}, [2]string{"cost_rate", "41"})
	cashier.waitText("Lote", "Solo tú puedes ver esto")
	cashier.click("take:", "", "@Lucy Brown")
	cashier.click("done:", "", "@Lucy Brown", "Ana Rivas")
	cashier.form([2]string{"reference", "REF-PLAY-1"})
	cashier.waitText("@Lucy Brown", "REF-PLAY-1", "completed")
	cashier.shot("complete")

	// The client's DMs, open all along, show the transfer's DM without a
	// reload.
	client.waitText("Rosa Blanco", "completed")
	client.shot("dm")

	// The cashier closes the batch and sees its summary.
	cashier.command([]string{"batch", "close"})
	cashier.waitText("cerrado", "Solo tú puedes ver esto")
	cashier.shot("close")

	// A deposit: the proof's field says the playground takes no files.
	client.channel("general")
	client.run("the proof's field", chromedp.Click(chromedp.CSS("#box")), chromedp.SendKeys(chromedp.CSS("#box"), "/"),
		press(`#suggest li[data-cmd="deposit"]`, "click"), chromedp.WaitVisible(chromedp.CSS(`#options input[disabled]`)),
		poll(`document.querySelector("#options input[disabled]").placeholder.includes("No attachments in the playground")`))
	client.run("clear", chromedp.SendKeys(chromedp.CSS("#box"), "\x1b"))
	client.command([]string{"deposit"}, [2]string{"amount", "50"}, [2]string{"currency", "=USD"}, [2]string{"method", "Zelle"})
	client.waitText("declared", "Only you can see this")
}

// TestPlaygroundOffWithToken: with a Discord token the bot talks to
// Discord, the playground cannot be asked for, and its addresses are not
// there.
func TestPlaygroundOffWithToken(t *testing.T) {
	if code, _, stderr := cli(t, map[string]string{"CAMBISTA_DISCORD_TOKEN": "t", "CAMBISTA_DISCORD_MODE": "playground"}, "migrate"); code != 2 || !strings.Contains(stderr, "CAMBISTA_DISCORD_MODE=playground") {
		t.Fatalf("playground with a token: exit %d, %s", code, stderr)
	}
	fake := discordtest.New(t)
	vars := map[string]string{
		"CAMBISTA_DB":                 filepath.Join(t.TempDir(), "c.db"),
		"CAMBISTA_DISCORD_TOKEN":      discordtest.Token,
		"CAMBISTA_DISCORD_APP_ID":     discordtest.AppID,
		"CAMBISTA_DISCORD_GUILD_ID":   discordtest.GuildID,
		"CAMBISTA_DISCORD_MODE":       "http",
		"CAMBISTA_DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32),
		"CAMBISTA_DISCORD_API_URL":    fake.APIURL(),
	}
	base, logs, stop := start(t, vars, (*Main).Serve)
	defer stop()
	if strings.Contains(logs.String(), "/playground") {
		t.Errorf("serve with a token mentions the playground:\n%s", logs)
	}
	for _, r := range []struct{ method, path string }{
		{"GET", "/playground"}, {"GET", "/playground/live"}, {"GET", "/playground/events"},
		{"GET", "/playground/static/playground.js"}, {"POST", "/playground/do"}, {"POST", "/playground/reset"},
	} {
		req, _ := http.NewRequest(r.method, base+r.path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", r.method, r.path, resp.StatusCode)
		}
	}
}
