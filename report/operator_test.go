package report_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/report"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
)

// TestSpanishCSV: a Spanish report's CSV opens in a Spanish spreadsheet
// (byte order mark, ";", decimal comma) with its totals in a section of
// their own; the plain CSV stays for programs.
func TestSpanishCSV(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		f := business(t, s)
		out := write(t, f.super(), f.svc, params(report.Transactions, report.CSV, i18n.ES))
		if !bytes.HasPrefix(out, []byte("\uFEFFID;Creada (UTC);Cliente;")) {
			t.Fatalf("not a Spanish spreadsheet CSV: %q", out[:min(40, len(out))])
		}
		rows, totals := split(t, must2(table(t, out)), "ID", "Totales")
		want(t, rowWhere(t, rows, "ID", "1"), "Enviado", "100,00", "Comisión", "3,00", "A pagar", "3880,00")
		if len(rows) != 2 || len(totals) != 1 || !strings.HasPrefix(totals[0]["ID"], "Transferencias completadas USD/VES") {
			t.Fatalf("rows %v, totals %v: want the data, then the totals apart", rows, totals)
		}

		p := params(report.Transactions, report.PlainCSV, i18n.ES)
		plain := write(t, f.super(), f.svc, p)
		if bytes.HasPrefix(plain, []byte("\uFEFF")) || !bytes.HasPrefix(plain, []byte("ID,Creada (UTC),")) {
			t.Fatalf("plain CSV starts %q", plain[:min(40, len(plain))])
		}
		_, prow := table(t, plain)
		if len(prow) != 2 {
			t.Fatalf("plain CSV rows %v: want the 2 transfers and no totals", prow)
		}
		want(t, rowWhere(t, prow, "ID", "1"), "Enviado", "100.00", "A pagar", "3880.00")
		if name := report.FileName(p); !strings.HasSuffix(name, ".csv") {
			t.Fatalf("plain CSV named %q", name)
		}
	})
}

func must2[A, B any](_ A, b B) B { return b }

// TestInclusivePeriod: a report asked for up to 2026-12-31 (the web form's
// inclusive end, the next midnight) is named and dated by that day.
func TestInclusivePeriod(t *testing.T) {
	s := openStore(t, "sqlite")
	f := business(t, s)
	p := params(report.Statement, report.CSV, i18n.EN)
	p.From, p.To = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if name := report.FileName(p); name != "cambista-statement-20-USD-20260301-20261231.csv" {
		t.Fatalf("file %q, want it to end with the last day asked for", name)
	}
	_, totals := split(t, must2(table(t, write(t, f.super(), f.svc, p))), "Time (UTC)", "Totals")
	want(t, totals[0], "Type", "Opening balance", "Time (UTC)", "2026-03-01")
	want(t, totals[len(totals)-1], "Type", "Closing balance", "Time (UTC)", "2026-12-31", "Balance", "0.60")
	p.Format = report.PDF
	_, streams := pdfPages(t, write(t, f.super(), f.svc, p))
	if runs := pdfRuns(streams); !slices.Contains(runs, "Period: 2026-03-01 to 2026-12-31, both days included") {
		t.Fatalf("PDF heading %q", runs[:4])
	}
}

// TestStatementReconciles: an agent's statement credits are their
// commissions, as the commissions report gives them, plus their bonuses,
// each line saying which it is.
func TestStatementReconciles(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		f := business(t, s)
		ctx := f.super()
		must(f.svc.SaveAndPublishRule(ctx, "", rules.Rule{Name: "Bono agente", Kind: rules.Bonus, Scope: rules.Scope{FromCurrency: "USD"},
			Effect: rules.Effect{Amount: decimal.RequireFromString("2"), Currency: "USD", To: rules.ToAgent}}))
		b := must(f.svc.OpenBatch(f.as(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "8000", CostRate: "41"}))
		q := must(f.svc.Quote(f.as(client), "", app.QuoteRequest{Amount: "200", From: "USD", To: "VES", FromCountry: "US"}))
		tr := must(f.svc.CreateTransfer(f.as(client), "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: cambista.Beneficiary{
			Name: "Rosa Blanco", Bank: "Banesco", AccountNumber: "0134-0000-1234567891", DocumentID: "V-12345679"}}))
		must(f.svc.TakeTransfer(f.as(cashier), "", tr.ID))
		must(f.svc.CompleteTransfer(f.as(cashier), "", app.Complete{ID: tr.ID, Reference: "REF-002"}))
		must(f.svc.CloseBatch(f.as(cashier), "", b.ID))

		rows, totals := split(t, must2(table(t, write(t, ctx, f.svc, params(report.Statement, report.CSV, i18n.EN)))), "Time (UTC)", "Totals")
		kinds := map[string]int{}
		for _, r := range rows {
			kinds[r["Type"]]++
		}
		if kinds["commission"] != 2 || kinds["bonus"] != 1 || kinds["withdrawal"] != 1 {
			t.Fatalf("lines by type %v, want 2 commissions, 1 bonus, 1 withdrawal", kinds)
		}
		total := func(label string) string { return rowWhere(t, totals, "Type", label)["Amount"] }
		_, crows := table(t, write(t, ctx, f.svc, params(report.Commissions, report.PlainCSV, i18n.EN)))
		commissions := rowWhere(t, crows, "Agent", string(agent))["Commission"]
		// 1.00 of the first transfer, 33.34 % of the 6.00 of the second.
		if commissions != "3.00" || total("Total commission") != commissions {
			t.Fatalf("statement commissions %s, commissions report %s: want both 3.00", total("Total commission"), commissions)
		}
		if total("Total bonus") != "2.00" || total("Total credits") != "5.00" {
			t.Fatalf("bonus %s, credits %s: want 2.00 and 5.00 = commissions + bonus", total("Total bonus"), total("Total credits"))
		}
	})
}

// TestPDFNames: names in other scripts print as typed; a character the
// font cannot show prints as a box; the columns fit without cutting.
func TestPDFNames(t *testing.T) {
	s := openStore(t, "sqlite")
	f := business(t, s)
	const name = "Ольга Ζωή Zoë 🙂"
	f.user("60", name)
	p := params(report.Statement, report.PDF, i18n.ES)
	p.UserID = "60"
	_, streams := pdfPages(t, write(t, f.super(), f.svc, p))
	runs := pdfRuns(streams)
	if want := "Estado de cuenta: Ольга Ζωή Zoë □ (60), USD"; !slices.Contains(runs, want) {
		t.Fatalf("title not in %q", runs)
	}
	for _, k := range report.Kinds {
		p := params(k, report.PDF, i18n.ES)
		_, streams := pdfPages(t, write(t, f.super(), f.svc, p))
		for _, r := range pdfRuns(streams) {
			if strings.HasSuffix(r, "…") {
				t.Errorf("%s: %q cut to fit", k, r)
			}
		}
	}
}
