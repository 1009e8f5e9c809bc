package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
)

// seedEverything gives every page something to show: seedWeek's batches
// and transfers, a rejected and a cancelled transfer, a refunded one, a
// deposit waiting and one confirmed, a frozen account, a rule draft and
// people with their Discord names.
func seedEverything(t *testing.T, e *env) (pages []string) {
	t.Helper()
	batch, account := seedWeek(t, e)
	boss := e.As(apptest.Boot)
	apptest.Must(e.Svc.DecideAccount(boss, "", app.Decision{ID: account.ID, Approve: true}))
	for _, amount := range []string{"20", "45"} {
		apptest.Must(e.Svc.DeclareDeposit(e.As(apptest.Client), "", app.DeclareDeposit{Currency: "USD", Amount: amount, Method: "Zelle"}))
	}
	deposits := apptest.Must(e.Svc.Deposits(boss, cambista.DepositFilter{}))
	apptest.Must(e.Svc.DecideDeposit(boss, "", app.Decision{ID: deposits[0].ID, Approve: true}))
	done := apptest.Must(e.Svc.Transfers(boss, cambista.TransferFilter{Status: cambista.TransferCompleted, Limit: 1}))
	apptest.Must(e.Svc.Refund(boss, "", app.RefundTransfer{TransferID: done[0].ID, Amount: "5", ToBalance: true, Reason: "cobro de más"}))
	apptest.Must(e.Svc.SetAccountFrozen(boss, "", app.SetAccountFrozen{ID: account.ID, Frozen: true, Reason: "revisión"}))
	apptest.Must(e.Svc.CancelTransfer(e.As(apptest.Client), "", e.Send(apptest.Client, "30").ID))
	rejected := e.Send(apptest.Client, "35")
	apptest.Must(e.Svc.TakeTransfer(e.As(apptest.Other), "", rejected.ID))
	apptest.Must(e.Svc.RejectTransfer(e.As(apptest.Other), "", app.Reason{ID: rejected.ID, Reason: "cuenta errada"}))
	nameEveryone(t, e)
	pages = []string{"/", "/approvals", "/catalog", "/rates/USD/VES", "/batches", "/queue", "/transfers",
		"/audit", "/audit?action=transfer.cancel", "/sessions", "/reports", "/rules", "/users", "/no/such/page",
		"/deposits", "/deposits?status=",
		fmt.Sprintf("/batches/%d", batch), "/batches/1"}
	for _, id := range []cambista.UserID{apptest.Boot, apptest.Agent, apptest.Client, apptest.Cashier, apptest.Other} {
		pages = append(pages, "/users/"+string(id))
	}
	for _, tr := range apptest.Must(e.Svc.Transfers(boss, cambista.TransferFilter{Limit: 100})) {
		pages = append(pages, fmt.Sprintf("/transfers/%d", tr.ID))
	}
	for _, v := range apptest.Must(e.Svc.Rules(boss, cambista.RulePublished)) {
		pages = append(pages, fmt.Sprintf("/rules/%d", v.Version.RuleID))
	}
	return pages
}

// names are the cast's names on Discord.
var names = map[cambista.UserID]string{
	apptest.Boot: "Gerencia", apptest.Agent: "Ana Agente", apptest.Client: "Carlos Cliente",
	apptest.Cashier: "Camila Caja", apptest.Other: "Óscar Otero",
}

// nameEveryone gives the cast their Discord names, as member updates do.
func nameEveryone(t *testing.T, e *env) {
	t.Helper()
	for id, name := range names {
		apptest.Must(e.Svc.NoteDiscordName(t.Context(), id, name))
	}
}

var (
	// A label the catalog lacks shows as its bracketed key.
	missingLabel = regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)
	// What a person reads: text between tags and the attributes read aloud
	// or shown. Code a person wrote (a rule's CEL) is theirs, and the help
	// on the rules' JSON syntax names the keys one types.
	written   = regexp.MustCompile(`(?s)<(code|textarea|script|style)\b.*?</(code|textarea|script|style)>|<p class="muted syntax">.*?</p>`)
	shownAttr = regexp.MustCompile(`\b(?:placeholder|title|aria-label|label)="([^"]*)"`)
	tag       = regexp.MustCompile(`(?s)<[^>]*>`)
	// A code: snake_case, or an action such as transfer.cancel.
	snake = regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`)
	// English words of the vocabulary that a Spanish page must not show.
	english = regexp.MustCompile(`\b(active|frozen|requested|approved|rejected|pending|taken|completed|cancelled|expired|open|closed|draft|published|retired|client|agent|cashier|superuser|system|Paid out|Go to)\b`)
)

// readable returns what a person reads on a page.
func readable(body string) string {
	body = written.ReplaceAllString(body, " ")
	var attrs []string
	for _, m := range shownAttr.FindAllStringSubmatch(body, -1) {
		attrs = append(attrs, m[1])
	}
	text := tag.ReplaceAllString(body, " ")
	return strings.Join(append(attrs, text), " ")
}

func actionCodes() []string {
	var codes []string
	for _, a := range cambista.Actions() {
		codes = append(codes, string(a))
	}
	return append(codes, string(app.ActPanelLogin), string(app.ActPanelLogout), string(app.ActPanelRevokeSessions))
}

// TestPagesSpeakTheReadersLanguage renders every page of the panel in
// Spanish and in English and fails on a label the catalog lacks, a raw
// code (an action, a rounding mode, any snake_case word) and, in Spanish,
// an English word of the vocabulary (a state, a role). The 404 page of
// someone logged in is in their language, with the way back to the panel.
func TestPagesSpeakTheReadersLanguage(t *testing.T) {
	e := sqlite(t, nil)
	pages := seedEverything(t, e)
	b := e.browser()
	if _, err := b.follow.Get(e.bootstrapLink()); err != nil {
		t.Fatal(err)
	}
	codes := actionCodes()
	for _, lang := range []string{"es", "en"} {
		wantRedirect(t, b.post("/lang", url.Values{"csrf": {b.csrf()}, "lang": {lang}, "back": {"/"}}), "/")
		for _, path := range pages {
			r := b.get(path)
			if r.StatusCode != http.StatusOK && path != "/no/such/page" {
				t.Errorf("%s %s: status %d", lang, path, r.StatusCode)
				continue
			}
			if m := missingLabel.FindString(r.body); m != "" {
				t.Errorf("%s %s: label without words %s", lang, path, m)
			}
			text := readable(r.body)
			if m := snake.FindString(text); m != "" {
				t.Errorf("%s %s: raw code %q", lang, path, m)
			}
			for _, c := range codes {
				if strings.Contains(text, c) {
					t.Errorf("%s %s: raw action %q", lang, path, c)
				}
			}
			if lang == "es" {
				if m := english.FindStringIndex(text); m != nil {
					t.Errorf("es %s: English %q in %q", path, text[m[0]:m[1]], text[max(0, m[0]-60):min(len(text), m[1]+60)])
				}
			}
		}
	}

	t.Run("NotFoundLoggedIn", func(t *testing.T) {
		wantRedirect(t, b.post("/lang", url.Values{"csrf": {b.csrf()}, "lang": {"es"}, "back": {"/"}}), "/")
		r := b.get("/no/such/page")
		wantStatus(t, r, http.StatusNotFound)
		wantBody(t, r, "Esa página no existe.", "Volver al panel", `lang="es"`)
		if strings.Contains(r.body, "/login") {
			t.Fatal("a logged-in reader is offered the login page")
		}
	})

	t.Run("NamesNotIDs", func(t *testing.T) {
		for _, path := range []string{"/", "/batches", "/transfers", "/audit", "/queue", "/users"} {
			r := b.get(path)
			visible := tag.ReplaceAllString(written.ReplaceAllString(r.body, ""), " ")
			if !strings.Contains(visible, "Gerencia") {
				t.Errorf("%s: the header does not name the reader", path)
			}
			for _, n := range []string{"user 40", "user 41", "user 30"} {
				if strings.Contains(visible, n) {
					t.Errorf("%s: shows the registered name %q, not the Discord name", path, n)
				}
			}
		}
		wantBody(t, b.get("/batches"), "Camila Caja", "Óscar Otero")
		wantBody(t, b.get("/audit"), "Gerencia")
		wantBody(t, b.get("/transfers"), "Carlos Cliente")
	})

	t.Run("FilterByName", func(t *testing.T) {
		r := b.get("/transfers?cashier=" + url.QueryEscape("camila"))
		wantStatus(t, r, http.StatusOK)
		wantBody(t, r, `value="camila"`, "Camila Caja")
		if strings.Contains(r.body, "Óscar Otero") {
			t.Fatal("the cashier filter by name kept the other cashier's transfers")
		}
		r = b.get("/audit?actor=" + url.QueryEscape("Gerencia"))
		wantStatus(t, r, http.StatusOK)
		for _, ev := range apptest.Must(e.Svc.AuditLog(e.As(apptest.Boot), cambista.AuditFilter{Actor: string(apptest.Cashier)})).Events {
			if strings.Contains(r.body, fmt.Sprintf("<td>%d</td>", ev.Seq)) {
				t.Fatalf("filtered by Gerencia, the log shows event %d by the cashier", ev.Seq)
			}
		}
		r = b.get("/transfers?client=" + url.QueryEscape("nadie así"))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "Nadie se llama")
		r = b.get("/transfers?cashier=" + url.QueryEscape("ca"))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantBody(t, r, "Varias personas coinciden")
	})
}
