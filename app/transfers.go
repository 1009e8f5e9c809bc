package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/ledger"
	"github.com/cambista/cambista/money"
	"github.com/cambista/cambista/rules"
)

// QuoteRequest asks what sending Amount (commission included) of From
// would deliver in To. Countries default to the sender's country and the
// country whose currency is To, when there is exactly one.
type QuoteRequest struct {
	Amount      string
	From, To    string
	FromCountry string
	ToCountry   string
}

func (in *QuoteRequest) normalize() {
	up := func(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
	in.From, in.To, in.FromCountry, in.ToCountry = up(in.From), up(in.To), up(in.FromCountry), up(in.ToCountry)
}

// quoteInput gathers what the rules need: the currencies, the amount, the
// current rate, the client's type and referrer, and, when limits apply, the
// totals sent today and this month.
func quoteInput(c *call, u *cambista.User, in QuoteRequest, limits bool) (rules.Input, error) {
	var ri rules.Input
	if in.From == in.To {
		return ri, cambista.Errorf(cambista.EINVALID, cambista.MsgSamePair.Msg())
	}
	from, err := enabledCurrency(c, in.From)
	if err != nil {
		return ri, err
	}
	to, err := enabledCurrency(c, in.To)
	if err != nil {
		return ri, err
	}
	amount, err := parseAmount(c.actor, in.Amount, from.Currency)
	if err != nil {
		return ri, err
	}
	for _, code := range []string{in.FromCountry, in.ToCountry} {
		if code != "" {
			if _, err := enabledCountry(c, code); err != nil {
				return ri, err
			}
		}
	}
	now := c.tx.Now()
	rate, err := c.tx.CurrentRate(c.ctx, in.From, in.To, now)
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return ri, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNoRate.Msg("Pair", cambista.Pair(in.From, in.To)))
	} else if err != nil {
		return ri, err
	}
	var today, monthly int64
	if limits {
		if today, err = c.tx.SentSince(c.ctx, u.ID, in.From, startOfDay(now)); err != nil {
			return ri, err
		}
		if monthly, err = c.tx.SentSince(c.ctx, u.ID, in.From, startOfMonth(now)); err != nil {
			return ri, err
		}
	}
	currencies, err := c.currencies()
	if err != nil {
		return ri, err
	}
	return rules.Input{
		Amount: amount, To: to.Currency, FromCountry: in.FromCountry, ToCountry: in.ToCountry,
		UserType: u.Type, HasReferrer: u.ReferrerID != "", At: now,
		BaseRate: rate.Value, RateID: int64(rate.ID),
		SentToday: money.New(today, from.Currency), SentMonth: money.New(monthly, from.Currency),
		Currencies: lookup(currencies),
	}, nil
}

// Limits count per UTC day and calendar month.
func startOfDay(t time.Time) time.Time { return t.Truncate(24 * time.Hour) }
func startOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// lookup finds enabled currencies by code, for the rules engine.
func lookup(all []*cambista.Currency) func(string) (money.Currency, bool) {
	return func(code string) (money.Currency, bool) {
		for _, c := range all {
			if c.Code == code && c.Enabled {
				return c.Currency, true
			}
		}
		return money.Currency{}, false
	}
}

// defaultCountries fills the countries a quote left out.
func defaultCountries(c *call, u *cambista.User, in *QuoteRequest) error {
	if in.FromCountry == "" {
		in.FromCountry = u.Country
	}
	if in.ToCountry != "" {
		return nil
	}
	countries, err := c.countries()
	if err != nil {
		return err
	}
	var match []string
	for _, co := range countries {
		if co.Currency == in.To && co.Enabled {
			match = append(match, co.Code)
		}
	}
	if len(match) == 1 {
		in.ToCountry = match[0]
	}
	return nil
}

// Quote prices a transfer under the published rules and keeps the quote
// (its figures, rate and rule versions) for CreateTransfer. It expires
// after Config.QuoteTTL.
func (s *Service) Quote(ctx context.Context, key string, in QuoteRequest) (*cambista.Quote, error) {
	in.normalize()
	return mutate(ctx, s, cambista.ActRequestQuote, key, in, func(c *call) (*cambista.Quote, error) {
		c.tx.Prefetch(ctx, UserRead(c.actor.UserID), CountriesRead(), CurrenciesRead(),
			SettingRead(rulesGeneration), CurrentRateRead(in.From, in.To, c.tx.Now()), NewIDRead("quote"))
		u, err := c.tx.User(ctx, c.actor.UserID)
		if err != nil {
			return nil, err
		}
		if err := defaultCountries(c, u, &in); err != nil {
			return nil, err
		}
		set, err := s.publishedSet(c)
		if err != nil {
			return nil, err
		}
		ri, err := quoteInput(c, u, in, set.NeedsHistory())
		if err != nil {
			return nil, err
		}
		rq, err := set.QuoteContext(ctx, ri)
		if err != nil {
			return nil, err
		}
		detail, err := json.Marshal(rq)
		if err != nil {
			return nil, err
		}
		q := &cambista.Quote{
			UserID: u.ID, UserType: u.Type, FromCountry: in.FromCountry, ToCountry: in.ToCountry,
			Send: rq.Send, Commission: rq.Commission, AgentShare: rq.AgentShare, Receive: rq.Receive,
			Rate: rq.Rate, RateID: cambista.ID(rq.RateID), ExpiresAt: c.tx.Now().Add(s.cfg.quoteTTL()), Detail: detail,
		}
		if u.ReferrerID != "" {
			q.AgentID = u.ReferrerID
		}
		if err := c.tx.CreateQuote(ctx, q); err != nil {
			return nil, err
		}
		return q, c.audit("quote", q.ID, nil, q)
	})
}

// Explain returns the quote's explanation, line by line, for its client or
// for staff.
func (s *Service) Explain(ctx context.Context, id cambista.ID) ([]cambista.Message, error) {
	return view(ctx, s, cambista.ActRequestQuote, func(tx Tx, actor cambista.Actor) ([]cambista.Message, error) {
		q, err := tx.Quote(ctx, id)
		if err != nil {
			return nil, err
		}
		if q.UserID != actor.UserID && !actor.Can(cambista.ActTakeTransfer) {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgQuoteNotYours.Msg("ID", q.ID))
		}
		rq, err := detail(q)
		if err != nil {
			return nil, err
		}
		return rules.Explain(rq), nil
	})
}

func detail(q *cambista.Quote) (*rules.Quote, error) {
	var rq rules.Quote
	if err := json.Unmarshal(q.Detail, &rq); err != nil {
		return nil, fmt.Errorf("quote %d detail: %w", q.ID, err)
	}
	return &rq, nil
}

// CreateTransfer turns the actor's quote into a pending transfer to a
// beneficiary.
type CreateTransfer struct {
	QuoteID     cambista.ID
	Beneficiary cambista.Beneficiary
	// FromBalance pays from the client's approved account in the send
	// currency, which must have the amount available.
	FromBalance bool
}

// CreateTransfer makes a pending transfer from an unexpired quote of the
// actor's, checking the quote's limits again against what the client sent
// meanwhile (under the client's row lock, so two transfers cannot both slip
// under a limit).
func (s *Service) CreateTransfer(ctx context.Context, key string, in CreateTransfer) (*cambista.Transfer, error) {
	return mutate(ctx, s, cambista.ActCreateTransfer, key, in, func(c *call) (*cambista.Transfer, error) {
		if err := validBeneficiary(&in.Beneficiary); err != nil {
			return nil, err
		}
		c.tx.Prefetch(ctx, UserRead(c.actor.UserID), QuoteRead(in.QuoteID), NewIDRead("transfer"))
		if _, err := c.tx.User(ctx, c.actor.UserID); err != nil { // locks the client
			return nil, err
		}
		q, err := c.tx.Quote(ctx, in.QuoteID)
		if err != nil {
			return nil, err
		}
		if q.UserID != c.actor.UserID {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgQuoteNotYours.Msg("ID", q.ID))
		}
		if q.Expired(c.tx.Now()) {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgQuoteExpired.Msg("At", q.ExpiresAt))
		}
		if err := s.recheckLimits(c, q); err != nil {
			return nil, err
		}
		if in.FromBalance {
			// The account's lock, after the client's, makes the check
			// and the hold one step against other holds on it.
			a, err := approvedAccount(c, q.UserID, q.Send.Currency.Code)
			if err != nil {
				return nil, err
			}
			if err := availableFor(c, a, q.Send); err != nil {
				return nil, err
			}
		}
		t := &cambista.Transfer{
			ClientID: q.UserID, QuoteID: q.ID, Status: cambista.TransferPending,
			Send: q.Send, Commission: q.Commission, AgentID: q.AgentID, AgentShare: q.AgentShare, Receive: q.Receive,
			FromCountry: q.FromCountry, ToCountry: q.ToCountry, Beneficiary: in.Beneficiary, FromBalance: in.FromBalance,
		}
		if err := c.tx.CreateTransfer(ctx, t); err != nil {
			return nil, err
		}
		if err := c.notify("transfer.pending", "transfer", t.ID, ChannelCashier, ""); err != nil {
			return nil, err
		}
		return t, c.audit("transfer", t.ID, nil, t)
	})
}

// CanPayFromBalance reports whether the actor could pay amount from their
// balance now: they have an approved account in its currency with that
// much available. CreateTransfer checks again, under the account's lock.
func (s *Service) CanPayFromBalance(ctx context.Context, amount money.Amount) (bool, error) {
	return view(ctx, s, cambista.ActCreateTransfer, func(tx Tx, actor cambista.Actor) (bool, error) {
		a, err := tx.AccountOf(ctx, actor.UserID, amount.Currency.Code)
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			return false, nil
		} else if err != nil || a.Status != cambista.AccountApproved {
			return false, err
		}
		v, err := accountView(ctx, tx, a)
		return err == nil && v.Available.Minor >= amount.Minor, err
	})
}

// recheckLimits applies the limits the quote applied, with the totals sent
// now.
func (s *Service) recheckLimits(c *call, q *cambista.Quote) error {
	rq, err := detail(q)
	if err != nil {
		return err
	}
	now := c.tx.Now()
	for _, a := range rq.Applied {
		if a.Kind != rules.Limit {
			continue
		}
		since := startOfDay(now)
		if a.Basis == rules.BasisMonthly {
			since = startOfMonth(now)
		}
		sent, err := c.tx.SentSince(c.ctx, q.UserID, q.Send.Currency.Code, since)
		if err != nil {
			return err
		}
		if left := a.Limit.Minor - sent; q.Send.Minor > left {
			m := cambista.MsgRuleLimitDaily
			if a.Basis == rules.BasisMonthly {
				m = cambista.MsgRuleLimitMonthly
			}
			return cambista.Errorf(cambista.EINVALID, m.Msg("Amount", q.Send, "Limit", a.Limit, "Left", money.New(max(left, 0), q.Send.Currency)))
		}
	}
	return nil
}

func validBeneficiary(b *cambista.Beneficiary) error {
	for _, f := range []struct {
		v            *string
		field, label string // the message's word, ValidateText's
		max          int
	}{{&b.Name, "name", "beneficiary name", 100}, {&b.Bank, "bank", "bank", 100}, {&b.AccountNumber, "account number", "account number", 34}, {&b.DocumentID, "document ID", "document ID", 30}} {
		*f.v = strings.TrimSpace(*f.v)
		if *f.v == "" || utf8.RuneCountInString(*f.v) > f.max {
			return cambista.Errorf(cambista.EINVALID, cambista.MsgBeneficiaryField.Msg("Field", f.field, "Max", f.max))
		}
		if err := cambista.ValidateText(f.label, *f.v, false); err != nil {
			return err
		}
	}
	digits := 0
	for _, r := range b.AccountNumber {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-':
		default:
			return cambista.Errorf(cambista.EINVALID, cambista.MsgBeneficiaryNumber.Msg())
		}
	}
	if digits < 6 {
		return cambista.Errorf(cambista.EINVALID, cambista.MsgBeneficiaryNumber.Msg())
	}
	return nil
}

// TakeTransfer assigns a pending transfer to the acting cashier's open
// batch for its pair, refused when the batch's remaining capital (less the
// payouts of transfers already taken) cannot pay it.
func (s *Service) TakeTransfer(ctx context.Context, key string, id cambista.ID) (*cambista.Transfer, error) {
	return mutate(ctx, s, cambista.ActTakeTransfer, key, id, func(c *call) (*cambista.Transfer, error) {
		// The transfer, then the batch it would go to, locked in that order,
		// then the batch's funds.
		c.tx.Prefetch(ctx, TransferRead(id), TransferOpenBatchRead(c.actor.UserID, id),
			TransferOpenBatchFundsRead(c.actor.UserID, id))
		t, err := c.tx.Transfer(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.Status == cambista.TransferTaken {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgTakenByOther.Msg("ID", t.ID))
		}
		if err := t.Status.CheckTransition(cambista.TransferTaken); err != nil {
			return nil, err
		}
		if t.ClientID == c.actor.UserID {
			// Segregation of duties: nobody pays out their own transfer.
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgOwnTransfer.Msg("ID", t.ID))
		}
		// Locks the batch: takes of one batch queue here.
		b, err := c.tx.OpenBatchOf(ctx, c.actor.UserID, t.Send.Currency.Code, t.Receive.Currency.Code)
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			pair := cambista.Pair(t.Send.Currency.Code, t.Receive.Currency.Code)
			return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNoOpenBatch.Msg("Pair", pair))
		} else if err != nil {
			return nil, err
		}
		free, err := freeCapital(c, b)
		if err != nil {
			return nil, err
		}
		if free.Minor < t.Receive.Minor {
			return nil, cambista.Errorf(cambista.EINSUFFICIENT, cambista.MsgBatchShort.Msg("ID", b.ID, "Remaining", free, "Needed", t.Receive))
		}
		before := *t
		t.Status, t.CashierID, t.BatchID = cambista.TransferTaken, c.actor.UserID, b.ID
		return c.saveTransfer(&before, t, "transfer.taken")
	})
}

// freeCapital is what a batch can still promise: its balance less the
// payouts of the transfers taken in it and not yet finished.
func freeCapital(c *call, b *cambista.Batch) (money.Amount, error) {
	balance, reserved, err := c.tx.BatchFunds(c.ctx, b.ID)
	if err != nil {
		return money.Amount{}, err
	}
	return money.New(balance-reserved, b.Capital.Currency), nil
}

// saveTransfer writes a transfer's new state, tells the cashier channel and
// the client, and audits the change.
func (c *call) saveTransfer(before, t *cambista.Transfer, event string) (*cambista.Transfer, error) {
	if err := c.tx.UpdateTransfer(c.ctx, t); err != nil {
		return nil, err
	}
	if err := c.notify(event, "transfer", t.ID, ChannelCashier, t.ClientID); err != nil {
		return nil, err
	}
	return t, c.audit("transfer", t.ID, before, t)
}

// takenByActor loads a taken transfer that the actor may finish: the
// cashier who took it, or a superuser.
func takenByActor(c *call, id cambista.ID, to cambista.TransferStatus) (*cambista.Transfer, error) {
	t, err := c.tx.Transfer(c.ctx, id)
	if err != nil {
		return nil, err
	}
	if err := t.Status.CheckTransition(to); err != nil {
		return nil, err
	}
	if t.CashierID != c.actor.UserID && !c.actor.Roles.Has(cambista.RoleSuperuser) {
		return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgTakenByOther.Msg("ID", t.ID))
	}
	return t, nil
}

// Complete is a cashier's report that a taken transfer was paid.
type Complete struct {
	ID        cambista.ID
	Reference string
	ProofURL  string
	// Proof is a file the cashier attached, downloaded by the adapter
	// before the call (cambista.NewProof); it is stored with the
	// completion, in its transaction.
	Proof *cambista.Proof `json:",omitempty"`
}

// CompleteTransfer records the payout and posts it: the client's payment
// into the house, the payout out of the batch, the agent's commission and
// any bonuses.
func (s *Service) CompleteTransfer(ctx context.Context, key string, in Complete) (*cambista.Transfer, error) {
	in.Reference, in.ProofURL = strings.TrimSpace(in.Reference), strings.TrimSpace(in.ProofURL)
	if in.Reference == "" || utf8.RuneCountInString(in.Reference) > 100 {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgReferenceRequired.Msg())
	}
	if err := cambista.ValidateText("reference", in.Reference, false); err != nil {
		return nil, err
	}
	if err := validProofURL(in.ProofURL); err != nil {
		return nil, err
	}
	if in.Proof != nil {
		// Checked again here, whoever downloaded it: the key's hash
		// covers the SHA-256, not the bytes.
		p, err := cambista.NewProof(in.Proof.Filename, in.Proof.Data)
		if err != nil {
			return nil, err
		}
		in.Proof = p
	}
	return mutate(ctx, s, cambista.ActCompleteTransfer, key, in, func(c *call) (*cambista.Transfer, error) {
		c.tx.Prefetch(ctx, TransferRead(in.ID), TransferBatchRead(in.ID), TransferQuoteRead(in.ID),
			NewIDRead("entry"))
		t, err := takenByActor(c, in.ID, cambista.TransferCompleted)
		if err != nil {
			return nil, err
		}
		b, err := c.tx.Batch(ctx, t.BatchID)
		if err != nil {
			return nil, err
		}
		if err := b.Status.CheckTransition(cambista.BatchClosed); err != nil {
			return nil, err // the batch must still be open
		}
		q, err := c.tx.Quote(ctx, t.QuoteID)
		if err != nil {
			return nil, err
		}
		rq, err := detail(q)
		if err != nil {
			return nil, err
		}
		from, to := t.Send.Currency.Code, t.Receive.Currency.Code
		payer := ledger.World(from)
		if t.FromBalance {
			payer = ledger.User(t.ClientID, from) // held since creation
		}
		e := ledger.New(cambista.TransferEntry(t.ID), "transfer", t.ID).
			Move(payer, ledger.House(ledger.HouseReceipts, from), t.Send).
			Move(ledger.Batch(b.ID), ledger.World(to), t.Receive)
		if t.AgentID != "" {
			e.Move(ledger.House(ledger.HouseCommissions, from), ledger.User(t.AgentID, from), t.AgentShare)
		}
		for _, bonus := range rq.Bonuses {
			who := t.ClientID
			if bonus.To == rules.ToAgent {
				if t.AgentID == "" {
					continue
				}
				who = t.AgentID
			}
			cur := bonus.Amount.Currency.Code
			e.Move(ledger.House(ledger.HouseBonuses, cur), ledger.User(who, cur), bonus.Amount)
		}
		entry, err := e.Entry()
		if err != nil {
			return nil, err
		}
		if err := c.tx.Post(ctx, entry); err != nil {
			return nil, err
		}
		before := *t
		t.Status, t.Reference, t.ProofURL = cambista.TransferCompleted, in.Reference, in.ProofURL
		if in.Proof != nil {
			in.Proof.TransferID, in.Proof.CreatedBy = t.ID, c.actor.UserID
			if err := c.tx.SaveProof(ctx, in.Proof); err != nil {
				return nil, err
			}
			if err := c.audit("proof", t.ID, nil, in.Proof); err != nil {
				return nil, err
			}
		}
		return c.saveTransfer(&before, t, "transfer.completed")
	})
}

// Reason carries an entity and why it is being refused.
type Reason struct {
	ID     cambista.ID
	Reason string
}

// RejectTransfer refuses a taken transfer; nothing is posted.
func (s *Service) RejectTransfer(ctx context.Context, key string, in Reason) (*cambista.Transfer, error) {
	d := Decision{ID: in.ID, Reason: in.Reason}
	if err := d.validate(); err != nil {
		return nil, err
	}
	return mutate(ctx, s, cambista.ActRejectTransfer, key, in, func(c *call) (*cambista.Transfer, error) {
		t, err := takenByActor(c, in.ID, cambista.TransferRejected)
		if err != nil {
			return nil, err
		}
		before := *t
		t.Status, t.Reason = cambista.TransferRejected, d.Reason
		return c.saveTransfer(&before, t, "transfer.rejected")
	})
}

// ReleaseTransfer gives a taken transfer back to the pending queue, out of
// its batch.
func (s *Service) ReleaseTransfer(ctx context.Context, key string, id cambista.ID) (*cambista.Transfer, error) {
	return mutate(ctx, s, cambista.ActTakeTransfer, key, id, func(c *call) (*cambista.Transfer, error) {
		t, err := takenByActor(c, id, cambista.TransferPending)
		if err != nil {
			return nil, err
		}
		before := *t
		t.Status, t.CashierID, t.BatchID = cambista.TransferPending, "", 0
		return c.saveTransfer(&before, t, "transfer.released")
	})
}

// CancelTransfer lets a client withdraw their pending transfer.
func (s *Service) CancelTransfer(ctx context.Context, key string, id cambista.ID) (*cambista.Transfer, error) {
	return mutate(ctx, s, cambista.ActCancelTransfer, key, id, func(c *call) (*cambista.Transfer, error) {
		t, err := c.tx.Transfer(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.ClientID != c.actor.UserID {
			return nil, cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotYourTransfer.Msg("ID", t.ID))
		}
		if err := t.Status.CheckTransition(cambista.TransferCancelled); err != nil {
			return nil, err
		}
		before := *t
		t.Status = cambista.TransferCancelled
		return c.saveTransfer(&before, t, "transfer.cancelled")
	})
}

// ExpireTransfers marks transfers pending for longer than
// Config.PendingTTL as expired, each in its own transaction, as the
// system. It returns how many it expired.
func (s *Service) ExpireTransfers(ctx context.Context) (int, error) {
	ctx = cambista.WithActor(ctx, cambista.SystemActor)
	var due []*cambista.Transfer
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		due, err = tx.Transfers(ctx, cambista.TransferFilter{Status: cambista.TransferPending,
			To: tx.Now().Add(-s.cfg.pendingTTL()), Limit: 1000})
		return err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		t, err := mutate(ctx, s, cambista.ActExpireTransfers, "", d.ID, func(c *call) (*cambista.Transfer, error) {
			t, err := c.tx.Transfer(ctx, d.ID)
			if err != nil {
				return nil, err
			}
			if t.Status != cambista.TransferPending { // taken or cancelled meanwhile
				return t, nil
			}
			before := *t
			t.Status = cambista.TransferExpired
			return c.saveTransfer(&before, t, "transfer.expired")
		})
		if err != nil {
			return n, err
		}
		if t.Status == cambista.TransferExpired {
			n++
		}
	}
	return n, nil
}

// Transfer returns a transfer: its client's, or any for staff.
func (s *Service) Transfer(ctx context.Context, id cambista.ID) (*cambista.Transfer, error) {
	ts, err := s.TransfersByID(ctx, []cambista.ID{id})
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// TransfersByID returns the transfers, in the order of ids, read together
// (one round trip on PostgreSQL): a queue card draws up to 25 at a time.
func (s *Service) TransfersByID(ctx context.Context, ids []cambista.ID) ([]*cambista.Transfer, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]*cambista.Transfer, error) {
		reads := make([]Read, len(ids))
		for i, id := range ids {
			reads[i] = TransferRead(id)
		}
		tx.Prefetch(ctx, reads...)
		cashiers := batchCashiers(ctx, tx)
		ts := make([]*cambista.Transfer, len(ids))
		for i, id := range ids {
			t, err := tx.Transfer(ctx, id)
			if err != nil {
				return nil, err
			}
			if err := canRead(actor, t, cashiers); err != nil {
				return nil, err
			}
			ts[i] = t
		}
		return ts, nil
	})
}

// batchCashiers returns a batch's cashier, each batch read once.
func batchCashiers(ctx context.Context, tx cambista.BatchStore) func(cambista.ID) (cambista.UserID, error) {
	seen := map[cambista.ID]cambista.UserID{}
	return func(id cambista.ID) (cambista.UserID, error) {
		if c, ok := seen[id]; ok {
			return c, nil
		}
		b, err := tx.Batch(ctx, id)
		if err != nil {
			return "", err
		}
		seen[id] = b.CashierID
		return b.CashierID, nil
	}
}

// canRead allows a transfer's client to read it, a cashier a transfer
// waiting in the queue or one of their own batches, and a superuser any:
// the beneficiary's account number and document travel with it.
func canRead(actor cambista.Actor, t *cambista.Transfer, batchCashier func(cambista.ID) (cambista.UserID, error)) error {
	switch {
	case t.ClientID == actor.UserID:
		return nil
	case !actor.Can(cambista.ActReadTransfers):
		return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgNotYourTransfer.Msg("ID", t.ID))
	case actor.Roles.Has(cambista.RoleSuperuser), t.Status == cambista.TransferPending, t.CashierID == actor.UserID:
		return nil
	}
	if t.BatchID != 0 {
		cashier, err := batchCashier(t.BatchID)
		if err != nil || cashier == actor.UserID {
			return err
		}
	}
	return cambista.Errorf(cambista.EFORBIDDEN, cambista.MsgOtherBatchTransfer.Msg("ID", t.ID))
}

// Transfers lists transfers: a client sees their own, staff see all.
func (s *Service) Transfers(ctx context.Context, f cambista.TransferFilter) ([]*cambista.Transfer, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]*cambista.Transfer, error) {
		if !actor.Can(cambista.ActReadTransfers) {
			f.ClientID = actor.UserID
		}
		ts, err := tx.Transfers(ctx, f)
		if err != nil {
			return nil, err
		}
		// A cashier lists every transfer, but reads the beneficiary only
		// of those canRead allows.
		cashiers := batchCashiers(ctx, tx)
		for _, t := range ts {
			if err := canRead(actor, t, cashiers); cambista.ErrorCode(err) == cambista.EFORBIDDEN {
				t.Beneficiary = cambista.Beneficiary{}
			} else if err != nil {
				return nil, err
			}
		}
		return ts, nil
	})
}

// TransferPostings returns the journal entries posted for a transfer (its
// completion, then its refunds and reversals), each with its postings: the transfer's client's, or any
// for staff, as Transfer allows.
func (s *Service) TransferPostings(ctx context.Context, id cambista.ID) ([]*cambista.JournalEntry, error) {
	return view(ctx, s, cambista.ActViewOwn, func(tx Tx, actor cambista.Actor) ([]*cambista.JournalEntry, error) {
		t, err := tx.Transfer(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := canRead(actor, t, batchCashiers(ctx, tx)); err != nil {
			return nil, err
		}
		type posting struct {
			account  cambista.LedgerAccount
			currency string
			minor    int64
		}
		var entries []*cambista.JournalEntry
		var legs [][]posting
		read := func(refType string, refID cambista.ID) error {
			return tx.EntryPostings(ctx, refType, refID, func(entry cambista.ID, at time.Time, description cambista.EntryDescription, account cambista.LedgerAccount, currency string, minor int64) {
				if n := len(entries); n == 0 || entries[n-1].ID != entry {
					entries = append(entries, &cambista.JournalEntry{ID: entry, Time: at, Description: description, RefType: refType, RefID: refID})
					legs = append(legs, nil)
				}
				legs[len(legs)-1] = append(legs[len(legs)-1], posting{account, currency, minor})
			})
		}
		if err := read("transfer", t.ID); err != nil {
			return nil, err
		}
		// The refunds and reversals posted since are the transfer's too.
		refunds, err := tx.Refunds(ctx, cambista.RefundFilter{TransferID: t.ID, Status: cambista.RefundPosted})
		if err != nil {
			return nil, err
		}
		slices.Reverse(refunds) // oldest first, as the transfer's own entries
		for _, r := range refunds {
			if err := read("refund", r.ID); err != nil {
				return nil, err
			}
		}
		currencies := map[string]money.Currency{}
		for i, e := range entries {
			for _, p := range legs[i] {
				cur, ok := currencies[p.currency]
				if !ok {
					c, err := tx.Currency(ctx, p.currency)
					if err != nil {
						return nil, err
					}
					cur = c.Currency
					currencies[p.currency] = cur
				}
				e.Postings = append(e.Postings, cambista.Posting{Account: p.account, Amount: money.New(p.minor, cur)})
			}
		}
		return entries, nil
	})
}
