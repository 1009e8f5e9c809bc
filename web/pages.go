package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/audit"
	"github.com/cambista/cambista/money"
)

// The pages. Each handler parses the request, calls use cases, and renders;
// a form that succeeds redirects to the page to see next, a form that fails
// shows its page again with the use case's message.

func (p *Panel) home(w http.ResponseWriter, r *request) {
	if !r.view.Actor.Can(cambista.ActExportReports) {
		http.Redirect(w, r.Request, "/batches", http.StatusSeeOther) // a cashier's home
		return
	}
	d, err := p.svc.Dashboard(r.Context())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.names(r, batchPeople(d.OpenBatches)...)
	p.show(w, r, http.StatusOK, "dashboard", "dashboard", struct {
		D                *app.Dashboard
		PendingApprovals int64
		Open             []*app.BatchStatus
	}{d, d.Waiting.Approvals(), d.OpenBatches})
}

// chart is the JSON a Chart.js chart is drawn from. Figures are exact
// decimal text sent as JSON numbers: no float64 on the way.
type chart struct {
	Labels   []string      `json:"labels"`
	Datasets []chartSeries `json:"datasets"`
}

type chartSeries struct {
	Label string         `json:"label"`
	Data  []*json.Number `json:"data"` // nil where the series has no value
}

func number(s string) *json.Number {
	n := json.Number(s)
	return &n
}

func (p *Panel) volumeJSON(w http.ResponseWriter, r *request) {
	vol, err := p.svc.DailyVolume(r.Context(), 14)
	if err != nil {
		p.jsonError(w, r, err)
		return
	}
	c := chart{Labels: []string{}, Datasets: []chartSeries{}}
	for _, d := range vol.Days {
		c.Labels = append(c.Labels, d.Format("01-02"))
	}
	codes := make([]string, 0, len(vol.ByCurrency))
	for code := range vol.ByCurrency {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		s := chartSeries{Label: code}
		for _, a := range vol.ByCurrency[code] {
			s.Data = append(s.Data, number(a.Decimal().String()))
		}
		c.Datasets = append(c.Datasets, s)
	}
	writeJSON(w, c)
}

// profitJSON charts the net profit of the last closed batches, one series
// per currency profit is counted in.
func (p *Panel) profitJSON(w http.ResponseWriter, r *request) {
	closed, err := p.svc.PanelBatches(r.Context(), cambista.BatchClosed, 20)
	if err != nil {
		p.jsonError(w, r, err)
		return
	}
	slices.Reverse(closed) // oldest first, left to right
	c := chart{Labels: []string{}, Datasets: []chartSeries{}}
	series := map[string]int{}
	for i, st := range closed {
		b := st.Batch
		c.Labels = append(c.Labels, "#"+strconv.FormatInt(int64(b.ID), 10)+" "+cambista.Pair(b.Base, b.Quote))
		code := b.Summary.NetProfit.Currency.Code
		k, ok := series[code]
		if !ok {
			k = len(c.Datasets)
			series[code] = k
			c.Datasets = append(c.Datasets, chartSeries{Label: code, Data: make([]*json.Number, len(closed))})
		}
		c.Datasets[k].Data[i] = number(b.Summary.NetProfit.Decimal().String())
	}
	writeJSON(w, c)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

func (p *Panel) jsonError(w http.ResponseWriter, r *request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		p.log.ErrorContext(r.Context(), "panel request failed", "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": r.view.Msg(cambista.ErrorMessage(err))})
}

// pathID reads the {id} of the path; a malformed one is a page that does
// not exist.
func pathID(r *request) (cambista.ID, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, cambista.Errorf(cambista.ENOTFOUND, MsgBadNumber.Msg("Input", s))
	}
	return cambista.ID(id), nil
}

// names looks up the display names of the people a page names by ID.
func (p *Panel) names(r *request, ids ...cambista.UserID) {
	names, err := p.svc.PanelUserNames(r.Context(), ids)
	if err != nil {
		p.log.Warn("reading user names failed", "err", err)
		return
	}
	r.view.names = names
}

// person reads a person typed in a filter: a Discord ID as it is, else
// part of a name, which must match one person only.
func (p *Panel) person(r *request, text string) (cambista.UserID, error) {
	text = strings.TrimSpace(text)
	if text == "" || cambista.ValidateUserID(cambista.UserID(text)) == nil {
		return cambista.UserID(text), nil
	}
	found, err := p.svc.PanelFindPeople(r.Context(), text, 5)
	if err != nil {
		return "", err
	}
	var names []string
	for id, name := range found {
		if len(found) == 1 {
			return id, nil
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return "", cambista.Errorf(cambista.EINVALID, MsgNoSuchPerson.Msg("Input", text))
	}
	slices.Sort(names)
	return "", cambista.Errorf(cambista.EINVALID, MsgSeveralPeople.Msg("Input", text, "Names", strings.Join(names, ", ")))
}

func batchPeople(list []*app.BatchStatus) []cambista.UserID {
	var ids []cambista.UserID
	for _, st := range list {
		ids = append(ids, st.Batch.CashierID)
	}
	return ids
}

// Approvals.

func (p *Panel) approvals(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	accounts, err := p.svc.PendingAccounts(ctx)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	withdrawals, err := p.svc.Withdrawals(ctx, cambista.WithdrawalFilter{Status: cambista.WithdrawalRequested, Limit: 1000})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	agents, err := p.svc.PendingAgentRequests(ctx)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	deposits, err := p.svc.Deposits(ctx, cambista.DepositFilter{Status: cambista.DepositDeclared, Limit: 1000})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	refunds, err := p.svc.Refunds(ctx, cambista.RefundFilter{Status: cambista.RefundRequested, Limit: 1000})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	disputes, err := p.svc.Disputes(ctx, cambista.DisputeFilter{Status: cambista.DisputeOpened, Limit: 1000})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var ids []cambista.UserID
	for _, d := range disputes {
		ids = append(ids, d.ClientID, d.CashierID)
	}
	for _, a := range accounts {
		ids = append(ids, a.UserID)
	}
	for _, a := range agents {
		ids = append(ids, a.UserID)
	}
	for _, wd := range withdrawals {
		ids = append(ids, wd.UserID)
	}
	for _, d := range deposits {
		ids = append(ids, d.UserID)
	}
	for _, f := range refunds {
		ids = append(ids, f.ClientID, f.RequestedBy)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "approvals", "approvals", struct {
		Accounts    []*cambista.Account
		Agents      []*cambista.AgentRequest
		Withdrawals []*cambista.Withdrawal
		Deposits    []*cambista.Deposit
		Refunds     []*cambista.Refund
		Disputes    []*cambista.Dispute
	}{accounts, agents, withdrawals, deposits, refunds, disputes})
}

func decision(r *request, id cambista.ID) app.Decision {
	return app.Decision{ID: id, Approve: r.PostFormValue("decision") == "approve", Reason: r.PostFormValue("reason")}
}

func (p *Panel) decideAccount(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		d := decision(r, id)
		if _, err = p.svc.DecideAccount(r.Context(), r.PostFormValue(keyField), d); err == nil {
			p.decided(w, r, MsgAccountDone.Msg("ID", id, "Approved", d.Approve))
			return
		}
	}
	p.refuse(w, r, err, decidedBack(r))
}

func (p *Panel) decideAgent(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		d := decision(r, id)
		if _, err = p.svc.DecideAgent(r.Context(), r.PostFormValue(keyField), d); err == nil {
			p.decided(w, r, MsgAgentDone.Msg("ID", id, "Approved", d.Approve))
			return
		}
	}
	p.refuse(w, r, err, decidedBack(r))
}

func (p *Panel) decideWithdrawal(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		d := decision(r, id)
		if _, err = p.svc.DecideWithdrawal(r.Context(), r.PostFormValue(keyField), d); err == nil {
			p.decided(w, r, MsgWithdrawalDone.Msg("ID", id, "Approved", d.Approve))
			return
		}
	}
	p.refuse(w, r, err, decidedBack(r))
}

func (p *Panel) decideDeposit(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		d := decision(r, id)
		if _, err = p.svc.DecideDeposit(r.Context(), r.PostFormValue(keyField), d); err == nil {
			p.decided(w, r, MsgDepositDone.Msg("ID", id, "Approved", d.Approve))
			return
		}
	}
	p.refuse(w, r, err, decidedBack(r))
}

func (p *Panel) decideRefund(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		d := decision(r, id)
		if _, err = p.svc.ApproveRefund(r.Context(), r.PostFormValue(keyField), d); err == nil {
			p.decided(w, r, MsgRefundDone.Msg("ID", id, "Approved", d.Approve))
			return
		}
	}
	p.refuse(w, r, err, decidedBack(r))
}

// decidedBack is the page a decision's form goes back to: the one it was
// sent from (approvals, deposits).
func decidedBack(r *request) string {
	if b := r.PostFormValue("back"); b != "" {
		return localPath(b)
	}
	return "/approvals"
}

// decided answers a decision: htmx gets the row that replaces the
// request's, a plain form the page it came from again.
func (p *Panel) decided(w http.ResponseWriter, r *request, m cambista.Message) {
	if r.Header.Get(hxRequest) == "true" {
		r.view.Flash = r.view.Msg(m)
		p.render(w, http.StatusOK, "approvals", "decided-row", r.view)
		return
	}
	p.done(w, r, decidedBack(r), m)
}

// Currencies, countries and rates.

type catalogData struct {
	Currencies  []*cambista.Currency
	Countries   []*cambista.Country
	Rates       []*cambista.Rate
	Base, Quote string           // the pair the rate form starts with
	History     []*cambista.Rate // one pair's rates, newest first
	Roundings   []money.RoundingMode
}

func (p *Panel) catalog(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	d := catalogData{Roundings: []money.RoundingMode{money.HalfEven, money.HalfUp, money.Down}}
	var err error
	if d.Currencies, err = p.svc.Currencies(ctx); err == nil {
		if d.Countries, err = p.svc.Countries(ctx); err == nil {
			d.Rates, err = p.svc.CurrentRates(ctx)
		}
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var ids []cambista.UserID
	for _, rt := range d.Rates {
		ids = append(ids, rt.SetBy)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "catalog", "catalog", d)
}

func (p *Panel) addCurrency(w http.ResponseWriter, r *request) {
	code := r.PostFormValue("code")
	exp, err := strconv.Atoi(r.PostFormValue("exponent"))
	if err != nil {
		err = cambista.Errorf(cambista.EINVALID, cambista.MsgBadCurrency.Msg("Code", code))
	} else {
		var c *cambista.Currency
		c, err = p.svc.AddCurrency(r.Context(), r.PostFormValue(keyField), app.AddCurrency{
			Code: code, Exponent: exp, Name: r.PostFormValue("name"), Rounding: r.PostFormValue("rounding")})
		if err == nil {
			p.done(w, r, "/catalog", MsgCurrencyDone.Msg("Code", c.Code))
			return
		}
	}
	p.refuse(w, r, err, "/catalog")
}

func (p *Panel) toggleCurrency(w http.ResponseWriter, r *request) {
	c, err := p.svc.SetCurrencyEnabled(r.Context(), r.PostFormValue(keyField),
		app.Toggle{Code: r.PathValue("code"), Enabled: r.PostFormValue("enabled") == "true"})
	if err != nil {
		p.refuse(w, r, err, "/catalog")
		return
	}
	p.done(w, r, "/catalog", MsgCurrencyDone.Msg("Code", c.Code))
}

func (p *Panel) addCountry(w http.ResponseWriter, r *request) {
	c, err := p.svc.AddCountry(r.Context(), r.PostFormValue(keyField), app.AddCountry{
		Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Currency: r.PostFormValue("currency")})
	if err != nil {
		p.refuse(w, r, err, "/catalog")
		return
	}
	p.done(w, r, "/catalog", MsgCountryDone.Msg("Code", c.Code))
}

func (p *Panel) toggleCountry(w http.ResponseWriter, r *request) {
	c, err := p.svc.SetCountryEnabled(r.Context(), r.PostFormValue(keyField),
		app.Toggle{Code: r.PathValue("code"), Enabled: r.PostFormValue("enabled") == "true"})
	if err != nil {
		p.refuse(w, r, err, "/catalog")
		return
	}
	p.done(w, r, "/catalog", MsgCountryDone.Msg("Code", c.Code))
}

// setRate appends a rate and shows the pair's history.
// A rate far from the current one is asked about first.
func (p *Panel) setRate(w http.ResponseWriter, r *request) {
	base, quote := strings.ToUpper(r.PostFormValue("base")), strings.ToUpper(r.PostFormValue("quote"))
	back := r.PostFormValue("back")
	rate, err := p.svc.SetRate(r.Context(), r.PostFormValue(keyField), app.SetRate{Base: base, Quote: quote,
		Value: r.PostFormValue("value"), Confirmed: r.PostFormValue(confirmField) == "yes"})
	if m := cambista.ErrorMessage(err); m.ID == cambista.MsgRateJump.ID {
		p.confirmed(w, r, back, m)
		return
	}
	if err != nil {
		p.refuse(w, r, err, back)
		return
	}
	p.done(w, r, "/rates/"+url.PathEscape(rate.Base)+"/"+url.PathEscape(rate.Quote),
		MsgRateDone.Msg("Pair", cambista.Pair(rate.Base, rate.Quote), "Rate", rate.Value))
}

func (p *Panel) rateHistory(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	d := catalogData{Base: strings.ToUpper(r.PathValue("base")), Quote: strings.ToUpper(r.PathValue("quote"))}
	var err error
	if d.Currencies, err = p.svc.Currencies(ctx); err == nil {
		d.History, err = p.svc.RateHistory(ctx, d.Base, d.Quote, 200)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var ids []cambista.UserID
	for _, rt := range d.History {
		ids = append(ids, rt.SetBy)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "rates", "catalog", d)
}

func (p *Panel) rateHistoryJSON(w http.ResponseWriter, r *request) {
	history, err := p.svc.RateHistory(r.Context(), r.PathValue("base"), r.PathValue("quote"), 200)
	if err != nil {
		p.jsonError(w, r, err)
		return
	}
	slices.Reverse(history)
	c := chart{Labels: []string{}, Datasets: []chartSeries{{Label: strings.ToUpper(r.PathValue("base") + "/" + r.PathValue("quote"))}}}
	for _, rt := range history {
		c.Labels = append(c.Labels, rt.ValidFrom.UTC().Format("2006-01-02 15:04"))
		c.Datasets[0].Data = append(c.Datasets[0].Data, number(rt.Value.String()))
	}
	writeJSON(w, c)
}

// Batches.

func (p *Panel) batches(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	open, err := p.svc.PanelBatches(ctx, cambista.BatchOpen, 1000)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	closed, err := p.svc.PanelBatches(ctx, cambista.BatchClosed, 100)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.names(r, append(batchPeople(open), batchPeople(closed)...)...)
	p.show(w, r, http.StatusOK, "batches", "batches", struct{ Open, Closed []*app.BatchStatus }{open, closed})
}

// batch shows a batch: its cashier's, or any to a superuser (the use
// case decides), with its transfers and the postings on its capital.
func (p *Panel) batch(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	id, err := pathID(r)
	var d struct {
		Status    *app.BatchStatus
		Transfers []*cambista.Transfer
		Taken     []*cambista.Transfer // taken and not finished: to complete, reject or release
		Statement *app.Statement
	}
	if err == nil {
		d.Status, err = p.svc.BatchStatus(ctx, id)
	}
	if err == nil {
		d.Transfers, err = p.svc.Transfers(ctx, cambista.TransferFilter{BatchID: id, Limit: 1000})
	}
	if err == nil {
		d.Statement, err = p.svc.BatchStatement(ctx, id, app.StatementQuery{Limit: 1000})
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	ids := []cambista.UserID{d.Status.Batch.CashierID}
	for _, t := range d.Transfers {
		ids = append(ids, t.ClientID)
		if t.Status == cambista.TransferTaken {
			d.Taken = append(d.Taken, t)
		}
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "batch", "batches", d)
}

// batchLive is the fragment htmx refreshes on an open batch's page.
func (p *Panel) batchLive(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	var st *app.BatchStatus
	if err == nil {
		st, err = p.svc.BatchStatus(r.Context(), id)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, http.StatusOK, "batch", "batch-live", r.view.Row(st))
}

func (p *Panel) closeBatch(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	page := "/batches/" + strconv.FormatInt(int64(id), 10)
	if err == nil {
		if !p.confirmed(w, r, page, MsgConfirmCloseBatch.Msg("ID", id)) {
			return
		}
		if _, err = p.svc.CloseBatch(r.Context(), r.PostFormValue(keyField), id); err == nil {
			p.done(w, r, page, MsgBatchClosed.Msg("ID", id))
			return
		}
	}
	p.refuse(w, r, err, page)
}

// queue lists the transfers waiting for a cashier, and those taken: all of
// them for a superuser, one's own for a cashier.
func (p *Panel) queue(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	pending, err := p.svc.Transfers(ctx, cambista.TransferFilter{Status: cambista.TransferPending, Limit: 500})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	f := cambista.TransferFilter{Status: cambista.TransferTaken, Limit: 500}
	if !r.view.Actor.Roles.Has(cambista.RoleSuperuser) {
		f.CashierID = r.view.Actor.UserID
	}
	taken, err := p.svc.Transfers(ctx, f)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var ids []cambista.UserID
	for _, t := range append(slices.Clone(pending), taken...) {
		ids = append(ids, t.ClientID, t.CashierID)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "queue", "queue", struct{ Pending, Taken []*cambista.Transfer }{pending, taken})
}

// The audit log.

type auditData struct {
	Query    cambista.AuditFilter
	Actor    string // the actor filter as typed: an ID or a name
	From, To string // the date filters as typed
	Entities []string
	Page     *app.AuditPage
	Older    string // the next page's URL
	Actions  []string
	Verified *verified
}

// verified is the result of walking the chain.
type verified struct {
	OK   bool
	Text string
}

const dateLayout = "2006-01-02"

// dateRange reads a period typed as two days, either may be empty: from
// the start of the first day to the end of the last (the last day is
// included, as people mean it).
func dateRange(fromText, toText string) (from, to time.Time, err error) {
	for _, d := range []struct {
		in  string
		out *time.Time
	}{{fromText, &from}, {toText, &to}} {
		if d.in == "" {
			continue
		}
		t, err := time.Parse(dateLayout, d.in)
		if err != nil {
			return from, to, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDate.Msg("Input", d.in))
		}
		*d.out = t
	}
	if !to.IsZero() {
		to = to.Add(24 * time.Hour)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDateRange.Msg())
	}
	return from, to, nil
}

// auditQuery reads the filters; the "to" date is inclusive.
func auditQuery(r *request) (cambista.AuditFilter, auditData, error) {
	q := r.URL.Query()
	aq := cambista.AuditFilter{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		EntityType: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("id"))}
	d := auditData{Actor: aq.Actor, From: q.Get("from"), To: q.Get("to")}
	var err error
	if aq.From, aq.To, err = dateRange(d.From, d.To); err != nil {
		return aq, d, err
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return aq, d, cambista.Errorf(cambista.EINVALID, MsgBadNumber.Msg("Input", b))
		}
		aq.Before = n
	}
	return aq, d, nil
}

func (p *Panel) audit(w http.ResponseWriter, r *request) { p.auditPage(w, r, nil) }

func (p *Panel) auditPage(w http.ResponseWriter, r *request, v *verified) {
	aq, d, err := auditQuery(r)
	if err == nil {
		aq.Actor, err = p.personText(r, aq.Actor)
	}
	if err == nil {
		d.Page, err = p.svc.AuditLog(r.Context(), aq)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d.Query, d.Verified = aq, v
	if d.Page.Next != 0 {
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(d.Page.Next, 10))
		d.Older = "/audit?" + q.Encode()
	}
	for _, a := range cambista.Actions() {
		d.Actions = append(d.Actions, string(a))
	}
	d.Actions = append(d.Actions, string(app.ActPanelLogin), string(app.ActPanelLogout), string(app.ActPanelRevokeSessions))
	slices.Sort(d.Actions)
	d.Entities = auditEntities
	var ids []cambista.UserID
	for _, ev := range d.Page.Events {
		ids = append(ids, cambista.UserID(ev.Actor))
		ids = append(ids, peopleIn(ev.Before, ev.After)...)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "audit", "audit", d)
}

// auditEntities are the kinds of entity the audit log records.
var auditEntities = []string{"account", "batch", "country", "currency", "quote", "rate", "rule", "setting", "transfer", "user", "withdrawal"}

// personText is person for filters that keep the ID as text.
func (p *Panel) personText(r *request, text string) (string, error) {
	id, err := p.person(r, text)
	return string(id), err
}

// verifyAudit walks the whole chain: "ok: N events", or the first broken
// sequence number.
func (p *Panel) verifyAudit(w http.ResponseWriter, r *request) {
	n, err := p.svc.VerifyAudit(r.Context())
	var broken *audit.BrokenError
	v := &verified{OK: err == nil}
	switch {
	case errors.As(err, &broken):
		v.Text = r.view.Msg(MsgAuditBroken.Msg("Seq", broken.Seq, "Reason", broken.Reason, "Count", n))
	case err != nil:
		p.fail(w, r, err)
		return
	default:
		v.Text = r.view.Msg(MsgAuditOK.Msg("Count", n))
	}
	if r.Header.Get(hxRequest) == "true" {
		r.view.Data = auditData{Verified: v}
		p.render(w, http.StatusOK, "audit", "verify-result", r.view)
		return
	}
	p.auditPage(w, r, v)
}

// Sessions.

func (p *Panel) sessions(w http.ResponseWriter, r *request) {
	list, err := p.svc.PanelSessions(r.Context(), p.cfg.Now().Add(-p.cfg.IdleTimeout))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.show(w, r, http.StatusOK, "sessions", "sessions", struct{ Sessions []app.PanelSession }{list})
}

func (p *Panel) revokeSessions(w http.ResponseWriter, r *request) {
	user := cambista.UserID(strings.TrimSpace(r.PostFormValue("user")))
	p.names(r, user)
	name := r.view.NameOf(user)
	if !p.confirmed(w, r, "/sessions", MsgConfirmRevoke.Msg("User", name)) {
		return
	}
	n, err := p.svc.RevokePanelSessions(r.Context(), user)
	if err != nil {
		p.refuse(w, r, err, "/sessions")
		return
	}
	p.done(w, r, "/sessions", MsgRevoked.Msg("Count", n, "User", name))
}
