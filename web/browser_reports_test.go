package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/report"
)

// download submits the reports form as it stands and returns the file the
// browser saved.
func (p *page) download(dir string) []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	p.do("download", chromedp.Click(chromedp.CSS("#download")))
	for ev, err := range progress {
		if err != nil {
			p.t.Fatalf("waiting for the download: %v", err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				p.t.Fatal(err)
			}
			return b
		case cdpbrowser.DownloadProgressStateCanceled:
			p.t.Fatal("download canceled")
		}
	}
	p.t.Fatal("no download")
	return nil
}

// TestBrowserReports downloads the transfers report in each format through
// the reports page and opens each file.
func TestBrowserReports(t *testing.T) {
	chromium(t)
	e := sqlite(t, nil)
	seedWeek(t, e) // nine transfers, one of them REF-001
	p := newPage(t, e)
	dir := t.TempDir()
	p.do("log in", chromedp.Navigate(e.bootstrapLink()), chromedp.WaitVisible(chromedp.CSS("#pending-approvals")))
	p.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return err
	}))
	now := e.clock.Now().UTC()
	form := func(format string) {
		p.do("fill the form "+format, chromedp.Navigate(e.url+"/reports"), chromedp.WaitVisible(chromedp.CSS("#report-form")),
			chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "transactions"),
			chromedp.SetValue(chromedp.CSS(`select[name="format"]`), format),
			chromedp.SetValue(chromedp.CSS(`select[name="lang"]`), "en"),
			chromedp.SetValue(chromedp.CSS(`input[name="from"]`), now.AddDate(0, 0, -10).Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS(`input[name="to"]`), now.Format("2006-01-02")))
	}

	t.Run("CSV", func(t *testing.T) {
		p.t = t
		form("csv")
		data := p.download(dir)
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			t.Fatal("the spreadsheet CSV has no byte order mark")
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 || recs[0][0] != "ID" {
			t.Fatalf("header %v", recs)
		}
		n := 0
		for _, r := range recs[1:] {
			if _, err := strconv.Atoi(r[0]); err == nil {
				n++
			}
		}
		if n != 9 {
			t.Fatalf("%d transfers in the CSV, want 9:\n%v", n, recs)
		}
	})

	t.Run("XLSX", func(t *testing.T) {
		p.t = t
		form("xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(p.download(dir)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|") + "\n")
		}
		if !strings.Contains(all.String(), "REF-001") {
			t.Fatalf("the sheet lacks REF-001:\n%s", all.String())
		}
	})

	t.Run("PDF", func(t *testing.T) {
		p.t = t
		form("pdf")
		b := p.download(dir)
		if !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Fatalf("not a PDF: %q", b[:min(len(b), 20)])
		}
		pages := len(regexp.MustCompile(`/Type /Page[^s]`).FindAll(b, -1))
		m := regexp.MustCompile(`/Count (\d+)`).FindSubmatch(b)
		if pages != 1 || m == nil || string(m[1]) != "1" {
			t.Fatalf("%d page objects, /Count %q: want one page", pages, m)
		}
	})

	t.Run("StatementNeedsAccount", func(t *testing.T) {
		p.t = t
		p.do("ask for a statement without its account", chromedp.Navigate(e.url+"/reports"),
			chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "statement"),
			chromedp.Click(chromedp.CSS("#download")), chromedp.WaitVisible(chromedp.CSS("#form-error .flash")))
		p.wantText("#form-error", i18n.T(i18n.ES, report.MsgNeedsAccount.Msg()))
		// The refusal came back with a redirect, with what was chosen.
		if got := p.path(); got != "/reports" {
			t.Fatalf("refused at %s", got)
		}
		if got := p.value(`select[name="kind"]`); got != "statement" {
			t.Fatalf("kind %q after the refusal", got)
		}
		p.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#report-form")))
		if got := p.text("#form-error"); got != "" {
			t.Fatalf("the reload shows %q again", got)
		}
	})

	t.Run("Statement", func(t *testing.T) {
		p.t = t
		form("csv")
		p.do("choose the account", chromedp.SetValue(chromedp.CSS(`select[name="kind"]`), "statement"),
			chromedp.SetValue(chromedp.CSS(`input[name="user"]`), string(apptest.Client)),
			chromedp.SetValue(chromedp.CSS(`select[name="currency"]`), "USD"))
		if _, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(p.download(dir), []byte("\uFEFF")))).ReadAll(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReportHeaders checks the download's headers, and that only a
// superuser gets a report.
func TestReportHeaders(t *testing.T) {
	e := sqlite(t, nil)
	b := e.browser()
	b.loginDiscord(string(apptest.Boot))
	day := e.clock.Now().UTC().Format("2006-01-02")
	form := url.Values{"kind": {"audit"}, "format": {"csv"}, "lang": {"es"}, "from": {day}, "to": {day}}
	form.Set("csrf", b.csrf())
	r := b.post("/reports", form)
	wantStatus(t, r, http.StatusOK)
	// Both days are included, and the name says so: one day, twice.
	today := e.clock.Now().UTC().Format("20060102")
	want := `attachment; filename="cambista-audit-` + today + "-" + today + `.csv"`
	if got := r.Header.Get("Content-Disposition"); got != want {
		t.Fatalf("Content-Disposition %q, want %q", got, want)
	}
	if got := r.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Fatalf("Content-Type %q", got)
	}
	form.Del("csrf")
	wantStatus(t, b.post("/reports", form), http.StatusForbidden) // no form token

	c := e.browser()
	c.loginDiscord(string(apptest.Cashier))
	form.Set("csrf", c.csrf())
	wantStatus(t, c.post("/reports", form), http.StatusForbidden)
}
