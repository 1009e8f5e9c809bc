package app

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

// DeclareDeposit is a user's statement that they paid money into their
// account from outside: how much, how, and optionally a link to a proof
// (a Discord attachment).
type DeclareDeposit struct {
	Currency string
	Amount   string // as the person typed it
	Method   string
	ProofURL string
}

// DeclareDeposit records a deposit into the actor's approved account. No
// money moves until staff confirm that it arrived.
func (s *Service) DeclareDeposit(ctx context.Context, key string, in DeclareDeposit) (*cambista.Deposit, error) {
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	in.Method, in.ProofURL = strings.TrimSpace(in.Method), strings.TrimSpace(in.ProofURL)
	if in.Method == "" || utf8.RuneCountInString(in.Method) > 100 {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgDepositMethod.Msg())
	}
	if err := cambista.ValidateText("payment method", in.Method, false); err != nil {
		return nil, err
	}
	if err := validProofURL(in.ProofURL); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActDeclareDeposit, key, in, func(c *call) (*cambista.Deposit, error) {
		cur, err := enabledCurrency(c, in.Currency)
		if err != nil {
			return nil, err
		}
		amount, err := parseAmount(c.actor, in.Amount, cur.Currency)
		if err != nil {
			return nil, err
		}
		a, err := approvedAccount(c, c.actor.UserID, in.Currency)
		if err != nil {
			return nil, err
		}
		d := &cambista.Deposit{UserID: c.actor.UserID, AccountID: a.ID, Amount: amount, Method: in.Method,
			ProofURL: in.ProofURL, Status: cambista.DepositDeclared}
		if err := c.tx.CreateDeposit(ctx, d); err != nil {
			return nil, err
		}
		if err := c.notify("deposit.declared", "deposit", d.ID, ChannelCashier, d.UserID); err != nil {
			return nil, err
		}
		return d, c.audit("deposit", d.ID, nil, d)
	})
}

// DecideDeposit confirms a deposit (the money enters the account: world →
// user) or rejects it with a reason. The decider is never the depositor,
// and a deposit above Config.DepositSuperuserAbove needs a superuser.
func (s *Service) DecideDeposit(ctx context.Context, key string, d Decision) (*cambista.Deposit, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActDecideDeposit, key, d, func(c *call) (*cambista.Deposit, error) {
		dep, err := c.tx.Deposit(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if c.actor.UserID == dep.UserID {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgDepositOwn.Msg())
		}
		to := cambista.DepositRejected
		if d.Approve {
			to = cambista.DepositConfirmed
		}
		if err := dep.Status.CheckTransition(to); err != nil {
			return nil, err
		}
		before := *dep
		if d.Approve {
			if limit, over := above(s.cfg.DepositSuperuserAbove, dep.Amount); over && !c.actor.Roles.Has(cambista.RoleSuperuser) {
				return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgDepositNeedsSuperuser.Msg("ID", dep.ID, "Amount", dep.Amount, "Limit", limit))
			}
			// The account may have been frozen since the declaration.
			if err := stillApproved(c, dep.AccountID); err != nil {
				return nil, err
			}
			code := dep.Amount.Currency.Code
			e, err := ledger.New(cambista.DepositEntry(dep.ID), "deposit", dep.ID).
				Move(ledger.World(code), ledger.User(dep.UserID, code), dep.Amount).Entry()
			if err != nil {
				return nil, err
			}
			if err := c.tx.Post(ctx, e); err != nil {
				return nil, err
			}
		}
		dep.Status, dep.DecidedBy, dep.Reason = to, c.actor.UserID, d.Reason
		if err := c.tx.UpdateDeposit(ctx, dep); err != nil {
			return nil, err
		}
		if err := c.notify("deposit.decided", "deposit", dep.ID, ChannelCashier, dep.UserID); err != nil {
			return nil, err
		}
		return dep, c.audit("deposit", dep.ID, before, dep)
	})
}

// Deposit returns a deposit: its depositor's, or any for staff.
func (s *Service) Deposit(ctx context.Context, id cambista.ID) (*cambista.Deposit, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) (*cambista.Deposit, error) {
		d, err := tx.Deposit(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.UserID != actor.UserID && !actor.Can(cambista.ActDecideDeposit) {
			return nil, notFound("deposit", strconv.FormatInt(int64(id), 10))
		}
		return d, nil
	})
}

// Deposits lists deposits: one's own, or, for staff, anyone's (user "" and
// a status to see the queue).
func (s *Service) Deposits(ctx context.Context, f cambista.DepositFilter) ([]*cambista.Deposit, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]*cambista.Deposit, error) {
		if f.UserID != actor.UserID && !actor.Can(cambista.ActDecideDeposit) {
			f.UserID = actor.UserID
		}
		return tx.Deposits(ctx, f)
	})
}

// above reports whether a is more than the limit set for its currency,
// and returns the limit; a currency without a limit is never above.
func above(limits map[string]decimal.Decimal, a money.Amount) (money.Amount, bool) {
	l, ok := limits[a.Currency.Code]
	if !ok {
		return money.Amount{}, false
	}
	limit := money.New(l.Shift(int32(a.Currency.Exponent)).IntPart(), a.Currency)
	return limit, a.Minor > limit.Minor
}

// approvedAccount returns the user's account in the currency, locked,
// refusing one that does not exist or is not approved (requested, frozen).
// The user's row is locked first: every use case that holds money against
// an account takes the user, then the account, so that none waits for
// another in the opposite order (the rows they insert point to the user,
// which on PostgreSQL takes a share lock on the user's row).
func approvedAccount(c *call, user cambista.UserID, currency string) (*cambista.Account, error) {
	if _, err := c.tx.User(c.ctx, user); err != nil {
		return nil, err
	}
	a, err := c.tx.AccountOf(c.ctx, user, currency)
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNoAccount.Msg("Currency", currency))
	} else if err != nil {
		return nil, err
	}
	if err := checkApproved(a); err != nil {
		return nil, err
	}
	return a, nil
}

// stillApproved reads the account again when a request is decided: it may
// have been frozen since.
func stillApproved(c *call, id cambista.ID) error {
	a, err := c.tx.Account(c.ctx, id)
	if err != nil {
		return err
	}
	return checkApproved(a)
}

// checkApproved refuses an account that is not approved (requested,
// frozen).
func checkApproved(a *cambista.Account) error {
	if a.Status != cambista.AccountApproved {
		return cambista.Errorf(cambista.ECONFLICT, cambista.MsgAccountNotActive.Msg("Currency", a.Currency, "Status", string(a.Status)))
	}
	return nil
}

// validProofURL accepts no proof, or an https link.
func validProofURL(s string) error {
	if s == "" {
		return nil
	}
	if u, err := url.Parse(s); err != nil || u.Scheme != "https" || u.Host == "" || len(s) > 2000 {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBadProofURL.Msg())
	}
	return nil
}
