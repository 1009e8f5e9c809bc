package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// Transfers: a filterable list, newest first, and one transfer's figures,
// its quote's explanation, its ledger postings and its audit trail.

// transfersPage is how many transfers a page of the list shows.
const transfersPage = 50

type transfersData struct {
	Filter          cambista.TransferFilter
	Client, Cashier string // the people as typed: IDs or names
	Status          string // the filters as typed
	From, To        string
	Statuses        []cambista.TransferStatus
	Transfers       []*cambista.Transfer
	Older           string // the next page's URL, "" on the last
}

// transferFilter reads the list's filters; the "to" date is inclusive.
func (p *Panel) transferFilter(r *request) (cambista.TransferFilter, transfersData, error) {
	q := r.URL.Query()
	d := transfersData{Status: strings.TrimSpace(q.Get("status")), From: q.Get("from"), To: q.Get("to"),
		Client: strings.TrimSpace(q.Get("client")), Cashier: strings.TrimSpace(q.Get("cashier"))}
	f := cambista.TransferFilter{Status: cambista.TransferStatus(d.Status), Limit: transfersPage + 1}
	var err error
	if f.ClientID, err = p.person(r, d.Client); err != nil {
		return f, d, err
	}
	if f.CashierID, err = p.person(r, d.Cashier); err != nil {
		return f, d, err
	}
	if f.From, f.To, err = dateRange(d.From, d.To); err != nil {
		return f, d, err
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			return f, d, cambista.Errorf(cambista.EINVALID, MsgBadNumber.Msg("Input", b))
		}
		f.Before = cambista.ID(n)
	}
	return f, d, nil
}

func (p *Panel) transfers(w http.ResponseWriter, r *request) {
	f, d, err := p.transferFilter(r)
	if err == nil {
		d.Transfers, err = p.svc.Transfers(r.Context(), f)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if len(d.Transfers) > transfersPage {
		d.Transfers = d.Transfers[:transfersPage]
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(int64(d.Transfers[transfersPage-1].ID), 10))
		d.Older = "/transfers?" + q.Encode()
	}
	f.Limit = transfersPage
	d.Filter = f
	d.Statuses = []cambista.TransferStatus{cambista.TransferPending, cambista.TransferTaken, cambista.TransferCompleted,
		cambista.TransferRejected, cambista.TransferCancelled, cambista.TransferExpired}
	var ids []cambista.UserID
	for _, t := range d.Transfers {
		ids = append(ids, t.ClientID, t.CashierID)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "transfers", "transfers", d)
}

type transferData struct {
	T           *cambista.Transfer
	Explanation []string // the quote's explanation, in the reader's language
	Entries     []*cambista.JournalEntry
	Audit       *app.AuditPage  // nil when the reader may not read the audit log
	Proof       *cambista.Proof // the file attached at completion, without its bytes
	Disputes    []*cambista.Dispute
	// Refunds are the transfer's refunds and reversals, and Left what may
	// still be refunded; both only for a reader who may refund.
	Refunds []*cambista.Refund
	Left    money.Amount
}

func (p *Panel) transfer(w http.ResponseWriter, r *request) {
	ctx := r.Context()
	id, err := pathID(r)
	var d transferData
	if err == nil {
		d.T, err = p.svc.Transfer(ctx, id)
	}
	var lines []cambista.Message
	if err == nil {
		lines, err = p.svc.Explain(ctx, d.T.QuoteID)
	}
	if err == nil {
		d.Entries, err = p.svc.TransferPostings(ctx, id)
	}
	if err == nil && r.view.Actor.Can(cambista.ActRefund) {
		d.Refunds, d.Left, err = p.refunds(r, d.T)
	}
	if err == nil {
		d.Proof, err = p.svc.TransferProofInfo(ctx, id)
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			err = nil
		}
	}
	if err == nil {
		d.Disputes, err = p.svc.Disputes(ctx, cambista.DisputeFilter{TransferID: id})
	}
	if err == nil && r.view.Actor.Can(cambista.ActReadAudit) {
		d.Audit, err = p.svc.AuditLog(ctx, cambista.AuditFilter{EntityType: "transfer", EntityID: strconv.FormatInt(int64(id), 10), Limit: 200})
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	for _, m := range lines {
		d.Explanation = append(d.Explanation, i18n.T(r.view.Lang, m))
	}
	ids := []cambista.UserID{d.T.ClientID, d.T.CashierID, d.T.AgentID}
	for _, rf := range d.Refunds {
		ids = append(ids, rf.RequestedBy, rf.ApprovedBy)
	}
	for _, x := range d.Disputes {
		ids = append(ids, x.ResolvedBy)
	}
	if d.Audit != nil {
		for _, ev := range d.Audit.Events {
			ids = append(ids, cambista.UserID(ev.Actor))
		}
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "transfer", "transfers", d)
}

// refunds reads a transfer's refunds, and what is left to refund: what the
// client paid less the refunds posted or waiting.
func (p *Panel) refunds(r *request, t *cambista.Transfer) ([]*cambista.Refund, money.Amount, error) {
	list, err := p.svc.Refunds(r.Context(), cambista.RefundFilter{TransferID: t.ID, Limit: 100})
	left := t.Send
	for _, rf := range list {
		if rf.Status != cambista.RefundRejected {
			left.Minor -= rf.Amount.Minor
		}
	}
	return list, left, err
}

// A batch's page offers, for each transfer taken and not finished, what
// its cashier can do: complete it (reference, optional proof), reject it
// (reason) or release it to the queue; then the batch can close.

// batchOf reads the batch page a transfer's form goes back to.
func batchOf(r *request) string {
	b, err := strconv.ParseInt(r.PostFormValue("batch"), 10, 64)
	if err != nil || b <= 0 {
		return "/batches"
	}
	return "/batches/" + strconv.FormatInt(b, 10)
}

func (p *Panel) completeTransfer(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		_, err = p.svc.CompleteTransfer(r.Context(), r.PostFormValue(keyField),
			app.Complete{ID: id, Reference: r.PostFormValue("reference"), ProofURL: r.PostFormValue("proof")})
	}
	if err != nil {
		p.refuse(w, r, err, batchOf(r))
		return
	}
	p.done(w, r, batchOf(r), MsgTransferCompleted.Msg("ID", id))
}

func (p *Panel) rejectTransfer(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		_, err = p.svc.RejectTransfer(r.Context(), r.PostFormValue(keyField), app.Reason{ID: id, Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		p.refuse(w, r, err, batchOf(r))
		return
	}
	p.done(w, r, batchOf(r), MsgTransferRejected.Msg("ID", id))
}

func (p *Panel) releaseTransfer(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	if err == nil {
		_, err = p.svc.ReleaseTransfer(r.Context(), r.PostFormValue(keyField), id)
	}
	if err != nil {
		p.refuse(w, r, err, batchOf(r))
		return
	}
	p.done(w, r, batchOf(r), MsgTransferReleased.Msg("ID", id))
}

// A completed transfer's page offers a superuser a refund (all or part of
// what the client paid) and a reversal (the transfer undone), each to the
// client's balance or returned outside, with a reason. One above the
// two-superuser limit waits in approvals for a second superuser.

// transferPage is the page a transfer's forms go back to.
func transferPage(id cambista.ID) string { return "/transfers/" + strconv.FormatInt(int64(id), 10) }

func (p *Panel) refundTransfer(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	var rf *cambista.Refund
	if err == nil {
		rf, err = p.svc.Refund(r.Context(), r.PostFormValue(keyField), app.RefundTransfer{TransferID: id,
			Amount: r.PostFormValue("amount"), ToBalance: r.PostFormValue("to") == "balance", Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		p.refuse(w, r, err, transferPage(id))
		return
	}
	p.done(w, r, transferPage(id), refundDone(rf))
}

func (p *Panel) reverseTransfer(w http.ResponseWriter, r *request) {
	id, err := pathID(r)
	var rf *cambista.Refund
	if err == nil {
		if !p.confirmed(w, r, transferPage(id), MsgConfirmReverse.Msg("ID", id)) {
			return
		}
		rf, err = p.svc.Reverse(r.Context(), r.PostFormValue(keyField), app.ReverseTransfer{TransferID: id,
			ToBalance: r.PostFormValue("to") == "balance", Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		p.refuse(w, r, err, transferPage(id))
		return
	}
	p.done(w, r, transferPage(id), refundDone(rf))
}

// refundDone says what became of a refund or reversal: posted, or waiting
// for a second superuser.
func refundDone(rf *cambista.Refund) cambista.Message {
	return MsgRefundAsked.Msg("ID", rf.ID, "Kind", cambista.WordFor(string(rf.Kind)), "Amount", rf.Amount,
		"Posted", rf.Status == cambista.RefundPosted, "ToBalance", rf.ToBalance)
}
