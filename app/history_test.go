package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRegisterWithInviteCode: registering with an agent's code links the
// new client to the agent in the registration itself; a code no agent has
// refuses the registration and leaves nothing behind; registering again
// with another agent's code is refused, as JoinAgent refuses it. The
// invitation names the welcome channel once one is set, and the invited
// client's transfer pays the agent their share.
func TestRegisterWithInviteCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		apptest.Must(e.Svc.ConfigureChannel(e.As(boot), "", app.ChannelSetting{Kind: app.ChannelWelcome, ChannelID: "5004"}))
		inv := apptest.Must(e.Svc.InviteCode(e.As(agent), ""))
		if inv.WelcomeChannel != "5004" || len(inv.Code) != 8 {
			t.Fatalf("invitation %+v", inv)
		}
		events, users := e.auditCount(), e.count("users")
		_, err := e.Svc.Register(e.As("50"), "", app.Register{DisplayName: "Bea", InviteCode: "WRONG234"})
		wantCode(t, err, cambista.ENOTFOUND)
		if cambista.ErrorMessage(err).ID != cambista.MsgBadInviteCode.ID {
			t.Fatalf("refused with %v", err)
		}
		if e.auditCount() != events || e.count("users") != users {
			t.Fatal("a refused registration left something behind")
		}

		_, err = e.Svc.Register(e.As("51"), "", app.Register{DisplayName: "Cruz", InviteCode: "x"})
		wantCode(t, err, cambista.ENOTFOUND)
		u := apptest.Must(e.Svc.Register(e.As("51"), "", app.Register{DisplayName: "Cruz", InviteCode: " " + strings.ToLower(inv.Code) + " "}))
		if u.ReferrerID != agent {
			t.Fatalf("registered with the code, linked to %q", u.ReferrerID)
		}
		// Again with the same code: nothing to change; with another
		// agent's: refused.
		apptest.Must(e.Svc.Register(e.As("51"), "", app.Register{DisplayName: "Cruz", InviteCode: inv.Code}))
		e.User("52", cambista.RoleAgent)
		other := apptest.Must(e.Svc.InviteCode(e.As("52"), ""))
		_, err = e.Svc.Register(e.As("51"), "", app.Register{DisplayName: "Cruz Díaz", InviteCode: other.Code})
		wantCode(t, err, cambista.ECONFLICT)
		if u := apptest.Must(e.Svc.User(e.As(boot), "51")); u.DisplayName != "Cruz" || u.ReferrerID != agent {
			t.Fatalf("a refused registration changed the user: %+v", u)
		}

		// The invited client's transfer pays the agent's share.
		before := e.balance(ledger.User(agent, "USD"))
		apptest.Must(e.Svc.OpenBatch(e.As(cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000", CostRate: "41"}))
		tr := e.Send("51", "100")
		if tr.AgentID != agent || tr.AgentShare.String() != "1.00 USD" {
			t.Fatalf("transfer's agent %q share %s", tr.AgentID, tr.AgentShare)
		}
		apptest.Must(e.Svc.TakeTransfer(e.As(cashier), "", tr.ID))
		apptest.Must(e.Svc.CompleteTransfer(e.As(cashier), "", app.Complete{ID: tr.ID, Reference: "R"}))
		if got := e.balance(ledger.User(agent, "USD")) - before; got != 100 {
			t.Fatalf("the agent earned %d, want 1.00 USD", got)
		}
		e.checkBooks()
	})
}

// TestTransferHistory: a client reads their transfers newest first, each
// with the rate of its quote and its state, within a period; nobody else's;
// a superuser reads anyone's.
func TestTransferHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := business(t, s)
		done := e.completeOne("100")
		pending := e.Send(client, "50")
		e.Send(agent, "10")
		lines := apptest.Must(e.Svc.TransferHistory(e.As(client), app.HistoryQuery{}))
		if len(lines) != 2 || lines[0].ID != pending.ID || lines[1].ID != done.ID {
			t.Fatalf("history %+v", lines)
		}
		l := lines[1]
		if l.Rate.String() != "40" || l.Status != cambista.TransferCompleted || l.Commission.String() != "3.00 USD" ||
			l.Receive.String() != "3880.00 VES" || l.Beneficiary.Name != apptest.Beneficiary.Name {
			t.Fatalf("line %+v rate %s", l.Transfer, l.Rate)
		}
		if got := apptest.Must(e.Svc.TransferHistory(e.As(client), app.HistoryQuery{Limit: 1})); len(got) != 1 || got[0].ID != pending.ID {
			t.Fatalf("limited to one: %+v", got)
		}
		later := time.Now().Add(time.Hour)
		if got := apptest.Must(e.Svc.TransferHistory(e.As(client), app.HistoryQuery{From: later})); len(got) != 0 {
			t.Fatalf("after everything: %+v", got)
		}
		_, err := e.Svc.TransferHistory(e.As(client), app.HistoryQuery{From: later, To: later.Add(-time.Hour)})
		wantCode(t, err, cambista.EINVALID)
		_, err = e.Svc.TransferHistory(e.As(client), app.HistoryQuery{UserID: agent})
		wantCode(t, err, cambista.EFORBIDDEN)
		if got := apptest.Must(e.Svc.TransferHistory(e.As(boot), app.HistoryQuery{UserID: agent})); len(got) != 1 {
			t.Fatalf("the agent's, read by a superuser: %+v", got)
		}
	})
}
