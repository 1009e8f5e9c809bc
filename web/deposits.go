package web

import (
	"net/http"
	"strings"

	"github.com/cambista/cambista"
)

// Deposits: the list a cashier or a superuser checks deposits in, by state
// (those waiting first) and depositor, each waiting one with its
// confirm and reject forms. The use case keeps the rules: never one's own
// deposit, and only a superuser above the configured amount.

// depositsPage is how many deposits the list shows.
const depositsPage = 200

type depositsData struct {
	Status, User string // the filters as typed
	Statuses     []cambista.DepositStatus
	Deposits     []*cambista.Deposit
}

func (p *Panel) deposits(w http.ResponseWriter, r *request) {
	q := r.URL.Query()
	d := depositsData{Status: string(cambista.DepositDeclared), User: strings.TrimSpace(q.Get("user")),
		Statuses: []cambista.DepositStatus{cambista.DepositDeclared, cambista.DepositConfirmed, cambista.DepositRejected}}
	if q.Has("status") {
		d.Status = q.Get("status")
	}
	f := cambista.DepositFilter{Status: cambista.DepositStatus(d.Status), Limit: depositsPage}
	var err error
	if f.UserID, err = p.person(r, d.User); err == nil {
		d.Deposits, err = p.svc.Deposits(r.Context(), f)
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var ids []cambista.UserID
	for _, dep := range d.Deposits {
		ids = append(ids, dep.UserID, dep.DecidedBy)
	}
	p.names(r, ids...)
	p.show(w, r, http.StatusOK, "deposits", "deposits", d)
}
