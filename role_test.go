package cambista_test

import (
	"testing"

	"github.com/cambista/cambista"
)

// TestPermissionMatrix checks every action against every role, against the
// table of DESIGN.md written out again here, so that a change to the
// matrix in code has to be made twice on purpose.
func TestPermissionMatrix(t *testing.T) {
	const (
		u = 1 << iota // unregistered, or frozen
		c             // client
		a             // agent
		k             // cashier
		s             // superuser
	)
	want := map[cambista.Action]int{
		cambista.ActReadCatalog:       u | c | a | k | s,
		cambista.ActRegister:          c | a | k | s,
		cambista.ActUpdateProfile:     c | a | k | s,
		cambista.ActViewOwn:           c | a | k | s,
		cambista.ActRequestAccount:    c | a | k | s,
		cambista.ActRequestAgent:      c | a | k | s,
		cambista.ActRequestQuote:      c | a | k | s,
		cambista.ActCreateTransfer:    c | a | k | s,
		cambista.ActCancelTransfer:    c | a | k | s,
		cambista.ActRequestWithdrawal: c | a | k | s,
		cambista.ActDeclareDeposit:    c | a | k | s,
		cambista.ActOpenDispute:       c | a | k | s,
		cambista.ActDecideDeposit:     k | s,
		cambista.ActOpenBatch:         k | s,
		cambista.ActCloseBatch:        k | s,
		cambista.ActTakeTransfer:      k | s,
		cambista.ActCompleteTransfer:  k | s,
		cambista.ActRejectTransfer:    k | s,
		cambista.ActReadTransfers:     k | s,
		cambista.ActDecideAccount:     s,
		cambista.ActDecideAgent:       s,
		cambista.ActDecideWithdrawal:  s,
		cambista.ActRefund:            s,
		cambista.ActResolveDispute:    s,
		cambista.ActSetRate:           s,
		cambista.ActManageCurrency:    s,
		cambista.ActManageCountry:     s,
		cambista.ActManageRules:       s,
		cambista.ActConfigure:         s,
		cambista.ActAssignRole:        s,
		cambista.ActExpireTransfers:   s,
		cambista.ActCheckAlerts:       s,
		cambista.ActReadAudit:         s,
		cambista.ActExportReports:     s,
	}
	bit := map[cambista.Role]int{cambista.RoleClient: c, cambista.RoleAgent: a, cambista.RoleCashier: k, cambista.RoleSuperuser: s}
	actions := cambista.Actions()
	if len(actions) != len(want) {
		t.Errorf("the matrix has %d actions, the expected table %d", len(actions), len(want))
	}
	for _, act := range actions {
		roles, ok := want[act]
		if !ok {
			t.Errorf("action %s is not in the expected table", act)
			continue
		}
		for _, r := range cambista.Roles {
			if got, exp := cambista.Allowed(r, act), roles&bit[r] != 0; got != exp {
				t.Errorf("Allowed(%s, %s) = %v, want %v", r, act, got, exp)
			}
			actor := cambista.Actor{UserID: "1", Roles: cambista.RoleSet(0).With(r)}
			if err := cambista.Authorize(actor, act); (err == nil) != (roles&bit[r] != 0) {
				t.Errorf("Authorize(%s, %s) = %v", r, act, err)
			} else if err != nil && cambista.ErrorCode(err) != cambista.EFORBIDDEN {
				t.Errorf("Authorize(%s, %s) code %q, want forbidden", r, act, cambista.ErrorCode(err))
			}
			actor.Frozen = true
			if err := cambista.Authorize(actor, act); roles&u != 0 && err != nil {
				t.Errorf("frozen %s may not %s: %v", r, act, err)
			} else if roles&u == 0 && (cambista.ErrorCode(err) != cambista.EFORBIDDEN || cambista.ErrorMessage(err).ID != cambista.MsgUserFrozen.ID) {
				t.Errorf("frozen %s may %s: %v", r, act, err)
			}
		}
		if err := cambista.Authorize(cambista.Actor{UserID: "1"}, act); roles&u != 0 && err != nil {
			t.Errorf("an unregistered user may not %s: %v", act, err)
		} else if roles&u == 0 && cambista.ErrorMessage(err).ID != cambista.MsgNotRegistered.ID {
			t.Errorf("an unregistered user may %s: %v", act, err)
		}
	}
}

func TestRoleSet(t *testing.T) {
	s := cambista.RoleSet(0).With(cambista.RoleCashier).With(cambista.RoleClient)
	if !s.Has(cambista.RoleCashier) || s.Has(cambista.RoleSuperuser) {
		t.Fatal(s.List())
	}
	if got := s.Without(cambista.RoleCashier).List(); len(got) != 1 || got[0] != cambista.RoleClient {
		t.Fatal(got)
	}
	for _, r := range cambista.Roles {
		p, err := cambista.ParseRole(" " + r.String() + " ")
		if err != nil || p != r {
			t.Errorf("ParseRole(%s) = %v, %v", r, p, err)
		}
	}
	if _, err := cambista.ParseRole("king"); cambista.ErrorCode(err) != cambista.EINVALID {
		t.Errorf("ParseRole(king) = %v", err)
	}
}
