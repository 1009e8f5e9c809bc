package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/report"
)

// Reports: a form, and the file it asks for, streamed from report.Write.

type reportsData struct {
	Kinds      []report.Kind
	Formats    []report.Format
	Currencies []*cambista.Currency
	Form       reportForm
}

// reportForm is the form as typed, to show it again after an error.
type reportForm struct {
	Kind, Format, Lang, From, To, User, Currency string
}

func (p *Panel) reports(w http.ResponseWriter, r *request) {
	now := p.cfg.Now().UTC()
	f := reportForm{Kind: string(report.Transactions), Format: string(report.CSV),
		Lang: string(r.view.Lang), From: now.AddDate(0, -1, 0).Format(dateLayout), To: now.Format(dateLayout)}
	cur, err := p.svc.Currencies(r.Context())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.show(w, r, http.StatusOK, "reports", "reports", reportsData{Kinds: report.Kinds, Formats: report.Formats, Currencies: cur, Form: f})
}

// reportParams reads the form; the "to" date is included in the report.
func reportParams(f reportForm) (report.Params, error) {
	p := report.Params{Kind: report.Kind(f.Kind), Format: report.Format(f.Format), Lang: i18n.Lang(f.Lang),
		UserID: cambista.UserID(f.User), Currency: f.Currency, BusinessName: "cambista"}
	var err error
	if p.From, p.To, err = dateRange(f.From, f.To); err != nil { // report.Write asks for a missing end
		return p, err
	}
	if p.Kind != report.Statement {
		p.UserID, p.Currency = "", ""
	}
	return p, nil
}

// reportWriteTimeout is how long a report download may take to write.
const reportWriteTimeout = 30 * time.Minute

// download answers with the report's file. Its headers go out with the
// first bytes, so a report refused before writing anything (bad
// parameters, no permission) goes back to the form (303), which shows the
// reason and what was typed.
func (p *Panel) download(w http.ResponseWriter, r *request) {
	trim := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := reportForm{Kind: trim("kind"), Format: trim("format"), Lang: trim("lang"), From: trim("from"), To: trim("to"),
		User: trim("user"), Currency: trim("currency")}
	params, err := reportParams(f)
	if err == nil {
		// A statement of a million postings takes longer to write than the
		// server's write timeout allows a page.
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(reportWriteTimeout))
		params.GeneratedAt = p.cfg.Now()
		out := &attachment{w: w, params: params}
		err = report.Write(r.Context(), p.svc, params, out)
		if err != nil && out.started {
			// Part of the file is out: nothing to show but a cut file.
			p.log.Error("report failed midway", "kind", params.Kind, "format", params.Format, "err", err)
			return
		}
	}
	if err != nil {
		p.refuse(w, r, err, "/reports")
	}
}

// attachment sends the file's headers just before its first bytes.
type attachment struct {
	w       http.ResponseWriter
	params  report.Params
	started bool
}

func (a *attachment) Write(b []byte) (int, error) {
	if !a.started {
		a.started = true
		h := a.w.Header()
		h.Set("Content-Type", report.ContentType(a.params.Format))
		h.Set("Content-Disposition", `attachment; filename="`+report.FileName(a.params)+`"`)
		h.Set("Cache-Control", "no-store")
		a.w.WriteHeader(http.StatusOK)
	}
	return a.w.Write(b)
}
