// Package report renders cambista's downloadable reports over a period —
// an account statement, the transfers created, the batch summaries, the
// agents' commissions and the audit log — as CSV, XLSX or PDF, in Spanish
// or English, for the admin panel to serve.
//
// Reports read through app.Service.ExportReport and ExportAuditReport,
// which authorize the actor and hand the renderer a reader over one
// snapshot, so rows go from the database to the output one at a time. CSV
// is written to w as the rows arrive. XLSX rows go through excelize's
// stream writer, which keeps at most 16 MB in memory and spills the rest to
// a temporary file; the archive is written to w at the end. A PDF is built
// in memory by fpdf and written at the end, so it is capped at MaxPDFRows
// rows.
package report

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// Format is a report's file format.
type Format string

const (
	// CSV is for spreadsheets, as one opens it in the report's language:
	// UTF-8 with a byte order mark; in Spanish ";" between fields and a
	// decimal comma. Totals follow the data rows in a section of their own.
	CSV Format = "csv"
	// PlainCSV is for programs whatever the language: UTF-8, ",", decimal
	// points, one header row and the data rows, no totals.
	PlainCSV Format = "csv_plain"
	XLSX     Format = "xlsx"
	PDF      Format = "pdf"
)

// Formats lists the formats, for menus.
var Formats = []Format{CSV, PlainCSV, XLSX, PDF}

// Kind is which report.
type Kind string

const (
	Statement    Kind = "statement"    // a user's account in a currency
	Transactions Kind = "transactions" // transfers created in the period
	Batches      Kind = "batches"      // batches closed, or opened and still open, in the period
	Commissions  Kind = "commissions"  // agents' shares of transfers completed in the period
	Audit        Kind = "audit"        // audit events in the period
)

// Kinds lists the reports, for menus.
var Kinds = []Kind{Statement, Transactions, Batches, Commissions, Audit}

// Params describe a report. Every report covers [From, To); a person asks
// for days, both included, so To is the midnight after the last one, and
// the report names and dates its period by that last day (through).
type Params struct {
	Kind     Kind
	Format   Format
	Lang     i18n.Lang // ES when empty
	From, To time.Time

	// The statement's account: its owner and currency.
	UserID   cambista.UserID
	Currency string

	// BusinessName heads the PDF and the XLSX sheet.
	BusinessName string
	// GeneratedAt is the time the report says it was made; now when zero.
	GeneratedAt time.Time
}

// MaxPDFRows caps a PDF report's rows, totals included: fpdf holds the
// whole document in memory until it is written (about 30 MB and 400 pages
// for 20,000 rows).
const MaxPDFRows = 20000

// Write renders the report to w through svc. The actor in ctx must be a
// superuser (cambista.ActExportReports, or ActReadAudit for the audit log).
//
// Errors: EINVALID for bad parameters, or a report too large for PDF or
// XLSX (CSV has no limit); EFORBIDDEN; ENOTFOUND for a statement of an
// unknown user or currency; EINTERNAL for the rest, including w's errors.
// Parameters are checked before anything is written, but a CSV report that
// fails midway has already written part of its rows to w.
func Write(ctx context.Context, svc *app.Service, p Params, w io.Writer) error {
	if err := p.check(); err != nil {
		return err
	}
	if p.Lang == "" {
		p.Lang = i18n.ES
	}
	if p.GeneratedAt.IsZero() {
		p.GeneratedAt = time.Now()
	}
	r := &run{p: p}
	switch p.Format {
	case CSV:
		r.sheet = newCSV(w, p.Lang, true)
	case PlainCSV:
		r.sheet = newCSV(w, p.Lang, false)
	case XLSX:
		r.sheet = newXLSX(w, p.Lang)
	case PDF:
		r.sheet = newPDF(w, p.Lang)
	}
	if c, ok := r.sheet.(io.Closer); ok {
		defer c.Close() // the XLSX writer's temporary file, even after an error
	}
	var err error
	if p.Kind == Audit {
		err = svc.ExportAuditReport(ctx, func(a app.AuditReader) error { return r.audit(ctx, a) })
	} else {
		table := tables[p.Kind]
		err = svc.ExportReport(ctx, func(h app.ReportReader) error { return table(r, ctx, h) })
	}
	if err != nil {
		return fmt.Errorf("%s report: %w", p.Kind, err)
	}
	// The snapshot is closed by now, not held while an XLSX or PDF file is
	// written out.
	if err := r.end(); err != nil {
		return fmt.Errorf("%s report: %w", p.Kind, cambista.Internal(err))
	}
	return nil
}

// tables writes the reports other than the audit log.
var tables = map[Kind]func(*run, context.Context, app.ReportReader) error{
	Statement:    (*run).statement,
	Transactions: (*run).transactions,
	Batches:      (*run).batches,
	Commissions:  (*run).commissions,
}

func (p *Params) check() error {
	switch p.Kind {
	case Statement, Transactions, Batches, Commissions, Audit:
	default:
		return cambista.Errorf(cambista.EINVALID, MsgBadKind.Msg("Input", string(p.Kind)))
	}
	switch p.Format {
	case CSV, PlainCSV, XLSX, PDF:
	default:
		return cambista.Errorf(cambista.EINVALID, MsgBadFormat.Msg("Input", string(p.Format)))
	}
	if p.Lang != "" && p.Lang != i18n.ES && p.Lang != i18n.EN {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBadLocale.Msg("Input", string(p.Lang)))
	}
	if p.From.IsZero() || p.To.IsZero() {
		return cambista.Errorf(cambista.EINVALID, MsgNeedsPeriod.Msg())
	}
	if !p.From.Before(p.To) {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBadDateRange.Msg())
	}
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if p.Kind == Statement && (p.UserID == "" || p.Currency == "") {
		return cambista.Errorf(cambista.EINVALID, MsgNeedsAccount.Msg())
	}
	return nil
}

// ContentType returns the MIME type of a format.
func ContentType(f Format) string {
	switch f {
	case CSV, PlainCSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case PDF:
		return "application/pdf"
	}
	return "application/octet-stream"
}

// FileName returns a name for the report's file, such as
// "cambista-statement-20-USD-20260301-20260331.csv": the first and the last
// day of the period, in UTC.
func FileName(p Params) string {
	parts := []string{"cambista", string(p.Kind)}
	if p.Kind == Statement {
		parts = append(parts, string(p.UserID), strings.ToUpper(p.Currency))
	}
	parts = append(parts, p.From.UTC().Format("20060102"), p.through().Format("20060102"))
	name := strings.Join(parts, "-")
	// The user ID and currency are the caller's input: keep the name safe
	// for a Content-Disposition header and any file system.
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, name)
	ext := string(p.Format)
	if p.Format == PlainCSV {
		ext = string(CSV)
	}
	return name + "." + ext
}

// through returns the last day the period includes, in UTC: the day before
// To when To is a midnight, as when a person asks for "up to 2026-12-31".
func (p Params) through() time.Time {
	return p.To.UTC().Add(-time.Microsecond).Truncate(24 * time.Hour)
}

// run is one report being written.
type run struct {
	sheet
	p Params
}

func (r *run) l(d cambista.MessageDef) string { return r.t(d.Msg()) }

func (r *run) t(m cambista.Message) string { return i18n.T(r.p.Lang, m) }

// begin writes the heading and the header row.
func (r *run) begin(title cambista.MessageDef, longTitle string, cols []column) error {
	if longTitle == "" {
		longTitle = r.l(title)
	}
	return r.sheet.begin(heading{
		business:  r.p.BusinessName,
		title:     longTitle,
		sheet:     r.l(title),
		period:    r.t(msgPeriod.Msg("From", r.p.From.UTC().Format(dateLayout), "To", r.p.through().Format(dateLayout))),
		generated: r.t(msgGenerated.Msg("At", r.p.GeneratedAt)),
		at:        r.p.GeneratedAt,
	}, cols)
}
