package report_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/report"
	"github.com/cambista/cambista/store"
)

var generated = time.Date(2026, 3, 11, 8, 30, 0, 0, time.UTC)

// params asks for a report of the fixture's day; statements are of the
// agent's USD wallet.
func params(kind report.Kind, format report.Format, lang i18n.Lang) report.Params {
	p := report.Params{Kind: kind, Format: format, Lang: lang, From: day, To: dayEnd,
		BusinessName: "Cambios Caracas", GeneratedAt: generated}
	if kind == report.Statement {
		p.UserID, p.Currency = agent, "usd"
	}
	return p
}

func write(t *testing.T, ctx context.Context, svc *app.Service, p report.Params) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(ctx, svc, p, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./report/ -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (go test ./report/ -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// table parses a CSV report into its header and its rows by column name:
// the data rows, then, after the blank line, the "Totals" row and the
// total rows. It reads both the spreadsheet CSV (a byte order mark, ";" in
// Spanish) and the plain one.
func table(t *testing.T, data []byte) ([]string, []map[string]string) {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatal("empty CSV")
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

// split cuts a spreadsheet CSV's rows at the "Totals" row (named in the
// first column, header col): the data rows and the total rows.
func split(t *testing.T, rows []map[string]string, col, totals string) (data, tot []map[string]string) {
	t.Helper()
	for i, r := range rows {
		if r[col] == totals {
			return rows[:i], rows[i+1:]
		}
	}
	return rows, nil
}

// want checks the named fields of a row.
func want(t *testing.T, row map[string]string, fields ...string) {
	t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		if got := row[fields[i]]; got != fields[i+1] {
			t.Errorf("%s = %q, want %q (row %v)", fields[i], got, fields[i+1], row)
		}
	}
}

func rowWhere(t *testing.T, rows []map[string]string, col, val string) map[string]string {
	t.Helper()
	for _, r := range rows {
		if r[col] == val {
			return r
		}
	}
	t.Fatalf("no row with %s = %q in %v", col, val, rows)
	return nil
}

// TestCSV writes every report in both languages, compares it with its
// golden file, and checks the worked example's figures in it.
func TestCSV(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		f := business(t, s)
		ctx := f.super()
		csvOf := func(t *testing.T, kind report.Kind, lang i18n.Lang) []map[string]string {
			out := write(t, ctx, f.svc, params(kind, report.CSV, lang))
			golden(t, fmt.Sprintf("%s.%s.csv", kind, lang), out)
			_, rows := table(t, out)
			return rows
		}
		for _, kind := range report.Kinds {
			t.Run(string(kind)+"/es", func(t *testing.T) { csvOf(t, kind, i18n.ES) })
		}

		t.Run("Statement", func(t *testing.T) {
			rows, totals := split(t, csvOf(t, report.Statement, i18n.EN), "Time (UTC)", "Totals")
			if len(rows) != 2 || len(totals) != 6 {
				t.Fatalf("%d rows and %d totals, want 2 postings, then opening, commission, withdrawal, credits, debits, closing: %v %v", len(rows), len(totals), rows, totals)
			}
			want(t, rows[0], "Type", "commission", "Description", "transfer 1", "Reference", "transfer #1", "Amount", "1.00", "Balance", "1.00")
			want(t, rows[1], "Type", "withdrawal", "Reference", "withdrawal #1", "Amount", "-0.40", "Balance", "0.60")
			want(t, totals[0], "Time (UTC)", "2026-03-10", "Type", "Opening balance", "Currency", "USD", "Amount", "", "Balance", "0.00")
			want(t, totals[1], "Type", "Total commission", "Amount", "1.00")
			want(t, totals[2], "Type", "Total withdrawal", "Amount", "-0.40")
			want(t, totals[3], "Type", "Total credits", "Amount", "1.00")
			want(t, totals[4], "Type", "Total debits", "Amount", "-0.40")
			want(t, totals[5], "Time (UTC)", "2026-03-10", "Type", "Closing balance", "Balance", "0.60")
		})
		t.Run("ClientStatement", func(t *testing.T) {
			// The client's account: the deposit staff confirmed, then the
			// refund of part of the transfer.
			p := params(report.Statement, report.CSV, i18n.EN)
			p.UserID = client
			_, all := table(t, write(t, ctx, f.svc, p))
			rows, totals := split(t, all, "Time (UTC)", "Totals")
			if len(rows) != 2 || len(totals) != 6 {
				t.Fatalf("%d rows and %d totals, want the deposit and the refund, then opening, deposit, refund, credits, debits, closing: %v %v", len(rows), len(totals), rows, totals)
			}
			want(t, rows[0], "Type", "deposit", "Description", "deposit 1", "Reference", "deposit #1", "Amount", "5.00", "Balance", "5.00")
			want(t, rows[1], "Type", "refund", "Description", "refund 1 of transfer 1", "Reference", "refund #1", "Amount", "2.00", "Balance", "7.00")
			want(t, totals[1], "Type", "Total deposit", "Amount", "5.00")
			want(t, totals[2], "Type", "Total refund", "Amount", "2.00")
			want(t, totals[5], "Type", "Closing balance", "Balance", "7.00")
		})
		t.Run("Transactions", func(t *testing.T) {
			rows, totals := split(t, csvOf(t, report.Transactions, i18n.EN), "ID", "Totals")
			if len(rows) != 2 || len(totals) != 1 {
				t.Fatalf("%d rows and %d totals, want 2 transfers and the total: %v %v", len(rows), len(totals), rows, totals)
			}
			want(t, rowWhere(t, rows, "ID", "1"), "Client", "30", "Status", "completed", "Send currency", "USD", "Sent", "100.00",
				"Commission", "3.00", "Agent", "20", "Agent share", "1.00", "Payout currency", "VES", "Payout", "3880.00",
				"Cashier", "40", "Batch", "1", "Reference", "REF-001", "Refunded", "2.00")
			want(t, rowWhere(t, rows, "ID", "2"), "Status", "pending", "Sent", "10.00", "Batch", "", "Reference", "", "Refunded", "0.00")
			want(t, totals[0], "ID", "Completed transfers USD/VES: 1", "Sent", "100.00", "Commission", "3.00", "Agent share", "1.00", "Payout", "3880.00",
				"Refunded", "2.00")
		})
		t.Run("Batches", func(t *testing.T) {
			rows, totals := split(t, csvOf(t, report.Batches, i18n.EN), "ID", "Totals")
			if len(rows) != 1 || len(totals) != 1 {
				t.Fatalf("%d rows and %d totals, want the batch and its pair's total: %v %v", len(rows), len(totals), rows, totals)
			}
			figures := []string{"Base", "USD", "Payout currency", "VES", "Transfers", "1",
				"Paid out", "3880.00", "Cost", "94.63", "Collected", "100.00", "Gross profit", "5.37",
				"Agent commissions", "1.00", "Net profit", "4.37", "Returned", "120.00"}
			// The refund came after the batch closed: its stored summary
			// refunds nothing, and the adjustment is beside it.
			want(t, rows[0], append([]string{"ID", "1", "Cashier", "40", "Status", "closed", "Capital", "4000.00", "Cost rate", "41",
				"Refunded", "0.00", "Adjustments after closing", "2.00"}, figures...)...)
			// Capital funds batch after batch: its sum would mean nothing.
			want(t, totals[0], append([]string{"ID", "Total USD/VES", "Status", "", "Capital", "", "Cost rate", ""}, figures...)...)
		})
		t.Run("Commissions", func(t *testing.T) {
			rows, totals := split(t, csvOf(t, report.Commissions, i18n.EN), "Agent", "Totals")
			if len(rows) != 1 || len(totals) != 1 {
				t.Fatalf("%d rows, %d totals: %v %v", len(rows), len(totals), rows, totals)
			}
			want(t, rows[0], "Agent", "20", "Name", "Ana Agente", "Currency", "USD", "Transfers", "1", "Commission", "1.00")
			want(t, totals[0], "Agent", "Total", "Currency", "USD", "Transfers", "1", "Commission", "1.00")
		})
		t.Run("Audit", func(t *testing.T) {
			events, totals := split(t, csvOf(t, report.Audit, i18n.EN), "Seq", "Totals")
			if len(events) < 20 {
				t.Fatalf("only %d audit events", len(events))
			}
			want(t, totals[0], "Seq", fmt.Sprintf("Events: %d", len(events)))
			hash := regexp.MustCompile(`^[0-9a-f]{16}$`)
			for i, r := range events {
				if r["Seq"] != strconv.Itoa(i+1) || !hash.MatchString(r["Hash"]) {
					t.Fatalf("event %d: %v", i, r)
				}
			}
			want(t, rowWhere(t, events, "Idempotency key", "complete-1"), "Actor", "40", "Action", "transfer.complete", "Entity", "transfer 1")
		})
		t.Run("EmptyPeriod", func(t *testing.T) {
			p := params(report.Transactions, report.CSV, i18n.EN)
			p.From, p.To = dayEnd, dayEnd.AddDate(0, 0, 1)
			header, rows := table(t, write(t, ctx, f.svc, p))
			if len(rows) != 0 || header[0] != "ID" {
				t.Fatalf("header %v, rows %v", header, rows)
			}
		})
	})
}

// TestXLSX opens each report with excelize: the heading, the headers in
// the language, and amounts as numbers with their currency's decimals.
func TestXLSX(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		f := business(t, s)
		open := func(t *testing.T, kind report.Kind, lang i18n.Lang) (*excelize.File, string, int) {
			t.Helper()
			x, err := excelize.OpenReader(bytes.NewReader(write(t, f.super(), f.svc, params(kind, report.XLSX, lang))))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { x.Close() })
			sheets := x.GetSheetList()
			if len(sheets) != 1 {
				t.Fatalf("sheets %v", sheets)
			}
			rows, err := x.GetRows(sheets[0])
			if err != nil {
				t.Fatal(err)
			}
			if rows[0][0] != "Cambios Caracas" || !strings.HasPrefix(rows[2][0], map[i18n.Lang]string{i18n.ES: "Período", i18n.EN: "Period"}[lang]) {
				t.Fatalf("heading %v", rows[:4])
			}
			return x, sheets[0], 6 // the header row
		}
		// number checks that a cell holds a number, with the format given.
		number := func(t *testing.T, x *excelize.File, sheet, ref, raw, format string) {
			t.Helper()
			typ, err := x.GetCellType(sheet, ref)
			if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
				t.Errorf("%s: type %v, %v, want a number", ref, typ, err)
			}
			if v, _ := x.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true}); v != raw {
				t.Errorf("%s = %q, want %s", ref, v, raw)
			}
			id, err := x.GetCellStyle(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := x.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if st.CustomNumFmt != nil {
				got = *st.CustomNumFmt
			}
			if got != format {
				t.Errorf("%s: number format %q, want %q", ref, got, format)
			}
		}
		t.Run("Transactions", func(t *testing.T) {
			for lang, headers := range map[i18n.Lang][]string{
				i18n.ES: {"ID", "Creada (UTC)", "Cliente", "Estado", "Moneda de envío", "Enviado", "Comisión"},
				i18n.EN: {"ID", "Created (UTC)", "Client", "Status", "Send currency", "Sent", "Commission"},
			} {
				x, sheet, hr := open(t, report.Transactions, lang)
				rows, _ := x.GetRows(sheet)
				if got := rows[hr-1][:len(headers)]; !slices.Equal(got, headers) {
					t.Errorf("%s headers %v, want %v", lang, got, headers)
				}
				if sheet != map[i18n.Lang]string{i18n.ES: "Transferencias", i18n.EN: "Transfers"}[lang] {
					t.Errorf("sheet %q", sheet)
				}
				// Row hr+1 is transfer 1: Sent F, Commission G, Agent share I, Payout K.
				r := strconv.Itoa(hr + 1)
				number(t, x, sheet, "A"+r, "1", "")
				number(t, x, sheet, "F"+r, "100", "#,##0.00")
				number(t, x, sheet, "G"+r, "3", "#,##0.00")
				number(t, x, sheet, "I"+r, "1", "#,##0.00")
				number(t, x, sheet, "K"+r, "3880", "#,##0.00")
				number(t, x, sheet, "O"+r, "2", "#,##0.00") // refunded
				if v, _ := x.GetCellValue(sheet, "F"+r); v != "100.00" {
					t.Errorf("F%s shows %q", r, v)
				}
				if v, _ := x.GetCellValue(sheet, "E"+r); v != "USD" {
					t.Errorf("E%s = %q", r, v)
				}
				if v, _ := x.GetCellValue(sheet, "B"+r); !regexp.MustCompile(`^2026-03-10 09:\d\d:\d\d$`).MatchString(v) {
					t.Errorf("created shows %q", v)
				}
				if typ, _ := x.GetCellType(sheet, "B"+r); typ != excelize.CellTypeUnset {
					t.Errorf("created cell type %v, want a date serial", typ)
				}
			}
		})
		t.Run("Batches", func(t *testing.T) {
			x, sheet, hr := open(t, report.Batches, i18n.ES)
			r := strconv.Itoa(hr + 1)
			for ref, raw := range map[string]string{"H": "4000", "I": "41", "K": "3880", "L": "94.63", "M": "100", "N": "0", "O": "5.37", "P": "1", "Q": "4.37", "R": "120", "S": "2"} {
				format := "#,##0.00"
				if ref == "I" {
					format = ""
				}
				number(t, x, sheet, ref+r, raw, format)
			}
			if v, _ := x.GetCellValue(sheet, "E"+r); v != "cerrado" {
				t.Errorf("status %q", v)
			}
			if v, _ := x.GetCellValue(sheet, "A"+strconv.Itoa(hr+2)); v != "Total USD/VES" {
				t.Errorf("total row starts %q", v)
			}
		})
		t.Run("Statement", func(t *testing.T) {
			x, sheet, hr := open(t, report.Statement, i18n.ES)
			rows, _ := x.GetRows(sheet)
			if rows[1][0] != "Estado de cuenta: Ana Agente (20), USD" {
				t.Errorf("title %q", rows[1][0])
			}
			number(t, x, sheet, "G"+strconv.Itoa(hr+3), "0.6", "#,##0.00")
			number(t, x, sheet, "F"+strconv.Itoa(hr+3), "-0.4", "#,##0.00")
			if len(rows) != hr+8 {
				t.Errorf("%d rows, want %d", len(rows), hr+8)
			}
			panes, err := x.GetPanes(sheet)
			if err != nil || !panes.Freeze || panes.YSplit != hr {
				t.Errorf("panes %+v %v: want the header row frozen", panes, err)
			}
		})
	})
}

var pagesCount = regexp.MustCompile(`/Type /Pages\n/Kids \[[^\]]*\]\n/Count (\d+)`)

// pdfPages returns the page count of the Pages dictionary, checking that
// it matches the page objects, and the decompressed content streams.
func pdfPages(t *testing.T, data []byte) (int, []string) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(20, len(data))])
	}
	m := pagesCount.FindSubmatch(data)
	if m == nil {
		t.Fatal("no /Count in the Pages dictionary")
	}
	n, _ := strconv.Atoi(string(m[1]))
	if objects := bytes.Count(data, []byte("<</Type /Page\n")); objects != n {
		t.Fatalf("/Count %d but %d page objects", n, objects)
	}
	var streams []string
	for rest := data; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			t.Fatal("a stream without its end")
		}
		z, err := zlib.NewReader(bytes.NewReader(rest[:j]))
		if err == nil {
			if b, err := io.ReadAll(z); err == nil {
				streams = append(streams, string(b))
			}
		}
		rest = rest[j+len("\nendstream"):]
	}
	return n, streams
}

// pdfRuns returns the text drawn in content streams, one string per run:
// fpdf writes each cell as "(…)Tj", UTF-16BE with "\\", "(", ")" and "\r"
// escaped.
func pdfRuns(streams []string) []string {
	var out []string
	for _, s := range streams {
		for {
			i := strings.Index(s, "Td (")
			if i < 0 {
				break
			}
			s = s[i+len("Td ("):]
			var b []byte
			j := 0
			for ; j < len(s) && s[j] != ')'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
					if s[j] == 'r' {
						b = append(b, '\r')
						continue
					}
				}
				b = append(b, s[j])
			}
			s = s[j:]
			u := make([]uint16, len(b)/2)
			for k := range u {
				u[k] = uint16(b[2*k])<<8 | uint16(b[2*k+1])
			}
			out = append(out, string(utf16.Decode(u)))
		}
	}
	return out
}

// TestPDF renders each report: one page for the fixture's reports, a
// repeated header row and "page N of M" on each page of a long one, and the
// text in the language asked.
func TestPDF(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		f := business(t, s)
		ctx := f.super()
		for _, kind := range report.Kinds {
			for _, lang := range []i18n.Lang{i18n.ES, i18n.EN} {
				t.Run(string(kind)+"/"+string(lang), func(t *testing.T) {
					n, streams := pdfPages(t, write(t, ctx, f.svc, params(kind, report.PDF, lang)))
					if n != 1 {
						t.Fatalf("%d pages, want 1", n)
					}
					text := pdfRuns(streams)
					footer := map[i18n.Lang]string{i18n.ES: "Página 1 de 1", i18n.EN: "Page 1 of 1"}[lang]
					if !slices.Contains(text, footer) || !slices.Contains(text, "Cambios Caracas") {
						t.Errorf("footer %q or business name missing in %q", footer, text)
					}
				})
			}
		}
		t.Run("Figures", func(t *testing.T) {
			_, streams := pdfPages(t, write(t, ctx, f.svc, params(report.Batches, report.PDF, i18n.ES)))
			text := pdfRuns(streams)
			for _, s := range []string{"94,63 USD", "5,37 USD", "4,37 USD", "3.880,00 VES", "Ganancia", "neta", "41"} {
				if !slices.Contains(text, s) {
					t.Errorf("no %s in the batches PDF: %q", s, text)
				}
			}
			_, streams = pdfPages(t, write(t, ctx, f.svc, params(report.Batches, report.PDF, i18n.EN)))
			text = pdfRuns(streams)
			for _, s := range []string{"94.63 USD", "3,880.00 VES", "Net", "profit", "Adjustments", "2.00 USD"} {
				if !slices.Contains(text, s) {
					t.Errorf("no %s in the batches PDF: %q", s, text)
				}
			}
			_, streams = pdfPages(t, write(t, ctx, f.svc, params(report.Transactions, report.PDF, i18n.ES)))
			if text := pdfRuns(streams); !slices.Contains(text, "Reembolsado") || !slices.Contains(text, "2,00 USD") {
				t.Errorf("no refunded amount in the transactions PDF: %q", text)
			}
			p := params(report.Statement, report.PDF, i18n.ES)
			p.UserID = client
			_, streams = pdfPages(t, write(t, ctx, f.svc, p))
			text = pdfRuns(streams)
			for _, s := range []string{"depósito", "reembolso", "5,00 USD", "7,00 USD"} {
				if !slices.Contains(text, s) {
					t.Errorf("no %s in the client's statement PDF: %q", s, text)
				}
			}
		})
		t.Run("MultiPage", func(t *testing.T) {
			f.user(heavy, "Héctor")
			seedPostings(t, s, heavy, 250, day.Add(12*time.Hour))
			p := params(report.Statement, report.PDF, i18n.ES)
			p.UserID = heavy
			n, streams := pdfPages(t, write(t, ctx, f.svc, p))
			if n < 3 {
				t.Fatalf("%d pages for 254 rows", n)
			}
			var pages [][]string
			for _, s := range streams {
				if runs := pdfRuns([]string{s}); slices.Contains(runs, "Saldo") {
					pages = append(pages, runs)
				}
			}
			if len(pages) != n {
				t.Fatalf("the header row is on %d of %d pages", len(pages), n)
			}
			for i, page := range pages {
				if footer := fmt.Sprintf("Página %d de %d", i+1, n); !slices.Contains(page, footer) {
					t.Errorf("page %d has no %q", i+1, footer)
				}
			}
			if !slices.Contains(pages[n-1], "Saldo final") {
				t.Error("the closing balance is not on the last page")
			}
		})
	})
}

// TestRefused: bad parameters, actors and accounts are refused before
// anything is written.
func TestRefused(t *testing.T) {
	s := openStore(t, "sqlite")
	f := business(t, s)
	ok := params(report.Transactions, report.CSV, i18n.ES)
	for _, c := range []struct {
		name string
		ctx  context.Context
		edit func(p *report.Params)
		code string
		msg  cambista.MessageDef
	}{
		{"BadKind", f.super(), func(p *report.Params) { p.Kind = "ledger" }, cambista.EINVALID, report.MsgBadKind},
		{"BadFormat", f.super(), func(p *report.Params) { p.Format = "docx" }, cambista.EINVALID, report.MsgBadFormat},
		{"BadLang", f.super(), func(p *report.Params) { p.Lang = "fr" }, cambista.EINVALID, cambista.MsgBadLocale},
		{"NoPeriod", f.super(), func(p *report.Params) { p.From = time.Time{} }, cambista.EINVALID, report.MsgNeedsPeriod},
		{"BackwardPeriod", f.super(), func(p *report.Params) { p.From, p.To = p.To, p.From }, cambista.EINVALID, cambista.MsgBadDateRange},
		{"NoAccount", f.super(), func(p *report.Params) { p.Kind = report.Statement }, cambista.EINVALID, report.MsgNeedsAccount},
		{"NotSuperuser", f.as(cashier), func(p *report.Params) {}, cambista.EFORBIDDEN, cambista.MsgForbidden},
		{"AuditNotSuperuser", f.as(agent), func(p *report.Params) { p.Kind = report.Audit }, cambista.EFORBIDDEN, cambista.MsgForbidden},
		{"Anonymous", context.Background(), func(p *report.Params) {}, cambista.EFORBIDDEN, cambista.MsgNotRegistered},
		{"UnknownUser", f.super(), func(p *report.Params) { p.Kind, p.UserID, p.Currency = report.Statement, "999", "USD" }, cambista.ENOTFOUND, cambista.MsgNotFound},
		{"UnknownCurrency", f.super(), func(p *report.Params) { p.Kind, p.UserID, p.Currency = report.Statement, agent, "EUR" }, cambista.ENOTFOUND, cambista.MsgNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.edit(&p)
			var b bytes.Buffer
			err := report.Write(c.ctx, f.svc, p, &b)
			if cambista.ErrorCode(err) != c.code || cambista.ErrorMessage(err).ID != c.msg.ID {
				t.Fatalf("got %v, want code %s and message %s", err, c.code, c.msg.ID)
			}
			if b.Len() != 0 {
				t.Fatalf("%d bytes written", b.Len())
			}
		})
	}
	t.Run("PDFTooLarge", func(t *testing.T) {
		f.user(heavy, "Héctor")
		seedPostings(t, s, heavy, report.MaxPDFRows, day.Add(12*time.Hour))
		p := params(report.Statement, report.PDF, i18n.EN)
		p.UserID = heavy
		var b bytes.Buffer
		err := report.Write(f.super(), f.svc, p, &b)
		if cambista.ErrorCode(err) != cambista.EINVALID || cambista.ErrorMessage(err).ID != report.MsgTooLarge.ID {
			t.Fatalf("got %v, want the report refused as too large", err)
		}
		if b.Len() != 0 {
			t.Fatalf("%d bytes written", b.Len())
		}
		p.Format = report.PlainCSV
		if _, rows := table(t, write(t, f.super(), f.svc, p)); len(rows) != report.MaxPDFRows {
			t.Fatalf("the CSV has %d rows", len(rows))
		}
	})
}

func TestFileName(t *testing.T) {
	p := report.Params{Kind: report.Statement, Format: report.XLSX, UserID: "20/../x", Currency: "usd",
		From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	if got, want := report.FileName(p), "cambista-statement-20____x-USD-20260301-20260331.xlsx"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
	p.Kind, p.Format = report.Audit, report.PDF
	if got, want := report.FileName(p), "cambista-audit-20260301-20260331.pdf"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
	for f, want := range map[report.Format]string{report.CSV: "text/csv; charset=utf-8", report.PDF: "application/pdf",
		report.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		if got := report.ContentType(f); got != want {
			t.Errorf("ContentType(%s) = %q", f, got)
		}
	}
}
