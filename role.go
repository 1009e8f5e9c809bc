package cambista

import "strings"

// Role is an app role. Client is held by every registered user; the others
// are restricted and assigned by a superuser.
type Role uint8

const (
	RoleClient Role = iota + 1
	RoleAgent
	RoleCashier
	RoleSuperuser
)

// Roles lists every role, in order of privilege.
var Roles = []Role{RoleClient, RoleAgent, RoleCashier, RoleSuperuser}

var roleNames = map[Role]string{
	RoleClient:    "client",
	RoleAgent:     "agent",
	RoleCashier:   "cashier",
	RoleSuperuser: "superuser",
}

func (r Role) String() string { return roleNames[r] }

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for r, n := range roleNames {
		if n == s {
			return r, nil
		}
	}
	return 0, Errorf(EINVALID, MsgBadRole.Msg("Input", s))
}

// Restricted reports whether only a superuser may assign the role.
func (r Role) Restricted() bool { return r != RoleClient }

// RoleSet is a set of roles as a bit mask.
type RoleSet uint8

// With returns the set with r added.
func (s RoleSet) With(r Role) RoleSet { return s | 1<<r }

// Without returns the set with r removed.
func (s RoleSet) Without(r Role) RoleSet { return s &^ (1 << r) }

// Has reports whether r is in the set.
func (s RoleSet) Has(r Role) bool { return s&(1<<r) != 0 }

// List returns the roles in the set, in order of privilege.
func (s RoleSet) List() []Role {
	var out []Role
	for _, r := range Roles {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// Action is something an actor may be allowed to do.
type Action string

// Actions. Their names are also the audit log's action names.
const (
	// ActReadCatalog reads the enabled currencies and countries, codes and
	// names: what the roles panel and the autocomplete of every command
	// offer, to people who may not have registered yet.
	ActReadCatalog Action = "catalog.read"

	ActRegister          Action = "user.register"
	ActUpdateProfile     Action = "user.update_profile"
	ActViewOwn           Action = "user.view_own"
	ActRequestAccount    Action = "account.request"
	ActRequestAgent      Action = "agent.request"
	ActRequestQuote      Action = "quote.request"
	ActCreateTransfer    Action = "transfer.create"
	ActCancelTransfer    Action = "transfer.cancel"
	ActRequestWithdrawal Action = "withdrawal.request"
	ActDeclareDeposit    Action = "deposit.declare"
	// ActOpenDispute disputes one's own completed transfer, within
	// the configured number of days of its completion.
	ActOpenDispute Action = "dispute.open"

	ActOpenBatch        Action = "batch.open"
	ActCloseBatch       Action = "batch.close"
	ActTakeTransfer     Action = "transfer.take"
	ActCompleteTransfer Action = "transfer.complete"
	ActRejectTransfer   Action = "transfer.reject"
	// ActDecideDeposit confirms or rejects someone else's deposit; one
	// above Config.DepositSuperuserAbove needs a superuser.
	ActDecideDeposit Action = "deposit.decide"
	// ActReadTransfers reads other people's transfers with their
	// beneficiary's details: a cashier those waiting in the queue and those
	// of their own batches, a superuser all.
	ActReadTransfers Action = "transfer.read"

	ActDecideAccount    Action = "account.decide"
	ActDecideAgent      Action = "agent.decide"
	ActDecideWithdrawal Action = "withdrawal.decide"
	// ActRefund refunds or reverses a completed transfer, and approves
	// another superuser's refund above Config.RefundTwoSuperusersAbove.
	ActRefund Action = "transfer.refund"
	// ActResolveDispute rejects a dispute or refunds its transfer.
	ActResolveDispute  Action = "dispute.resolve"
	ActSetRate         Action = "rate.set"
	ActManageCurrency  Action = "currency.manage"
	ActManageCountry   Action = "country.manage"
	ActManageRules     Action = "rules.manage"
	ActConfigure       Action = "config.set"
	ActAssignRole      Action = "role.assign"
	ActExpireTransfers Action = "transfer.expire"
	ActCheckAlerts     Action = "alert.check"

	ActReadAudit     Action = "audit.read"
	ActExportReports Action = "reports.export"
)

var (
	everyone = RoleSet(0).With(RoleClient).With(RoleAgent).With(RoleCashier).With(RoleSuperuser)
	staff    = RoleSet(0).With(RoleCashier).With(RoleSuperuser)
	super    = RoleSet(0).With(RoleSuperuser)

	// unregistered admits a person with no role: one who has not
	// registered, or a frozen user (freezing takes away what the roles
	// give, not what anyone may do). It is bit 0, which no Role uses.
	unregistered = RoleSet(1)
	public       = everyone | unregistered
)

// permissions is the permission matrix of the design, in one table: for each
// action, the roles that may perform it.
var permissions = map[Action]RoleSet{
	ActReadCatalog: public,

	ActRegister:          everyone,
	ActUpdateProfile:     everyone,
	ActViewOwn:           everyone,
	ActRequestAccount:    everyone,
	ActRequestAgent:      everyone,
	ActRequestQuote:      everyone,
	ActCreateTransfer:    everyone,
	ActCancelTransfer:    everyone,
	ActRequestWithdrawal: everyone,
	ActDeclareDeposit:    everyone,
	ActOpenDispute:       everyone,

	ActOpenBatch:        staff,
	ActCloseBatch:       staff,
	ActTakeTransfer:     staff,
	ActCompleteTransfer: staff,
	ActRejectTransfer:   staff,
	ActReadTransfers:    staff,
	ActDecideDeposit:    staff,

	ActDecideAccount:    super,
	ActDecideAgent:      super,
	ActDecideWithdrawal: super,
	ActRefund:           super,
	ActResolveDispute:   super,
	ActSetRate:          super,
	ActManageCurrency:   super,
	ActManageCountry:    super,
	ActManageRules:      super,
	ActConfigure:        super,
	ActAssignRole:       super,
	ActExpireTransfers:  super,
	ActCheckAlerts:      super,

	ActReadAudit:     super,
	ActExportReports: super,
}

// Actions returns every action of the matrix.
func Actions() []Action {
	out := make([]Action, 0, len(permissions))
	for a := range permissions {
		out = append(out, a)
	}
	return out
}

// Allowed reports whether a role may perform an action.
func Allowed(r Role, a Action) bool { return permissions[a].Has(r) }

// Can reports whether any of the actor's roles may perform the action.
func (a Actor) Can(act Action) bool { return a.held()&permissions[act] != 0 }

// held is the actor's roles as the matrix sees them: unregistered for a
// frozen user and for someone who has not registered.
func (a Actor) held() RoleSet {
	if a.Frozen || a.Roles == 0 {
		return unregistered
	}
	return a.Roles
}

// Authorize returns an EFORBIDDEN error unless the actor may perform act;
// its message tells an unregistered or frozen user why.
func Authorize(a Actor, act Action) error {
	switch {
	case a.Can(act):
		return nil
	case a.Frozen:
		return Errorf(EFORBIDDEN, MsgUserFrozen.Msg())
	case a.Roles == 0:
		return Errorf(EFORBIDDEN, MsgNotRegistered.Msg())
	}
	return Errorf(EFORBIDDEN, MsgForbidden.Msg("Action", WordFor(string(act))))
}
