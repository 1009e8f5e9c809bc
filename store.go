package cambista

import (
	"context"
	"time"
)

// Store is the database. Every change happens inside WithTx; every read that
// must be consistent across several queries happens inside View.
type Store interface {
	// WithTx runs fn in a read-write transaction and commits it if fn returns
	// nil. Audit events passed to Tx.Audit are written with the transaction,
	// unsealed, and chained by the sealer moments after commit. A transaction that loses a race (SQLITE_BUSY, a
	// PostgreSQL serialization failure or deadlock) is retried from the
	// start, so fn must only change state through tx and its own locals.
	WithTx(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction over one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Seal chains every committed audit event not yet sealed and returns how
	// many it sealed; after it, AuditEvents returns every event committed
	// before the call.
	Seal(ctx context.Context) (int64, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// Tx is one database transaction. Methods return *Error values with codes
// ENOTFOUND, ECONFLICT, EINVALID or EINSUFFICIENT as documented, and
// EINTERNAL for anything else.
type Tx interface {
	// Now is the transaction's clock: one instant, in UTC, truncated to
	// microseconds, for every timestamp the transaction writes.
	Now() time.Time

	// Prefetch names reads the transaction is about to make, before it
	// makes the first, so that the store may fetch them together
	// (PostgreSQL sends them in one round trip). Each read then returns
	// what it would have returned without Prefetch; a write discards what
	// was prefetched and not yet read.
	Prefetch(ctx context.Context, reads ...Read)

	// CreateUser inserts u with its roles; ECONFLICT if the ID is taken.
	CreateUser(ctx context.Context, u *User) error
	// User returns a user with its roles; ENOTFOUND.
	User(ctx context.Context, id UserID) (*User, error)
	// UpdateUser writes u's profile, status and roles; ENOTFOUND.
	UpdateUser(ctx context.Context, u *User) error
	// Users lists users matching the filter, newest first.
	Users(ctx context.Context, f UserFilter) ([]*User, error)

	// CreateCurrency inserts c; ECONFLICT if the code exists.
	CreateCurrency(ctx context.Context, c *Currency) error
	// Currency returns the currency with that code; ENOTFOUND.
	Currency(ctx context.Context, code string) (*Currency, error)
	// UpdateCurrency writes c's name, rounding and enabled flag; ENOTFOUND.
	UpdateCurrency(ctx context.Context, c *Currency) error
	// Currencies lists every currency by code.
	Currencies(ctx context.Context) ([]*Currency, error)

	// CreateCountry inserts c; ECONFLICT if the code exists.
	CreateCountry(ctx context.Context, c *Country) error
	// Country returns the country with that code; ENOTFOUND.
	Country(ctx context.Context, code string) (*Country, error)
	// UpdateCountry writes c's name, currency and enabled flag; ENOTFOUND.
	UpdateCountry(ctx context.Context, c *Country) error
	// Countries lists every country by code.
	Countries(ctx context.Context) ([]*Country, error)

	// CreateRate appends a rate to its pair's history and sets r.ID.
	CreateRate(ctx context.Context, r *Rate) error
	// CurrentRate returns the newest rate of the pair valid at t; ENOTFOUND.
	CurrentRate(ctx context.Context, base, quote string, t time.Time) (*Rate, error)
	// CurrentRates returns the rate in force at t of every pair, by pair.
	CurrentRates(ctx context.Context, t time.Time) ([]*Rate, error)
	// Rates returns the pair's history, newest first, at most limit rows.
	Rates(ctx context.Context, base, quote string, limit int) ([]*Rate, error)

	// Post commits a journal entry and sets e.ID and e.Time: EINVALID if it
	// does not balance per currency, EINSUFFICIENT if a user or batch account
	// would go negative (checked under the account's row lock).
	Post(ctx context.Context, e *JournalEntry) error
	// Balance returns a ledger account's balance derived from its postings.
	Balance(ctx context.Context, a LedgerAccount) (Balance, error)
	// LedgerState returns what the invariant checker needs.
	LedgerState(ctx context.Context) (*LedgerState, error)

	// Audit queues an event; WithTx writes it with the transaction and the
	// sealer chains it after commit.
	Audit(ev *AuditEvent)
	// AuditEvents returns sealed events with Seq > after, in order, at most
	// limit.
	AuditEvents(ctx context.Context, after int64, limit int) ([]*AuditEvent, error)

	// ClaimKey claims an idempotency key for a request with the given hash.
	// If the key was claimed before, it returns the earlier request's hash
	// and result with claimed false; the caller compares hashes.
	ClaimKey(ctx context.Context, key, requestHash string) (claimed bool, prevHash string, result []byte, err error)
	// SaveKeyResult stores the result of the request that claimed key.
	SaveKeyResult(ctx context.Context, key string, result []byte) error

	// Enqueue writes an outbox message, due at m.RunAt (now if zero). It
	// sets m.ID by the time the transaction next reaches the database (on
	// PostgreSQL the insert travels with the next statement or the commit).
	Enqueue(ctx context.Context, m *OutboxMessage) error
	// Undelivered reports whether outbox messages of the kinds about the
	// user (payload field user_id) are still waiting or being retried.
	Undelivered(ctx context.Context, user UserID, kinds ...string) (bool, error)

	// Setting returns a setting's value, "" if unset.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting writes a setting.
	SetSetting(ctx context.Context, key, value string, by UserID) error

	// UserByInviteCode returns the agent who owns the code; ENOTFOUND.
	UserByInviteCode(ctx context.Context, code string) (*User, error)

	// CreateAccount inserts a and sets its ID; ECONFLICT if the user already
	// has a live (not rejected) account in that currency.
	CreateAccount(ctx context.Context, a *Account) error
	// Account returns an account, locked until the transaction ends; ENOTFOUND.
	Account(ctx context.Context, id ID) (*Account, error)
	// AccountOf returns the user's live account in the currency, locked; ENOTFOUND.
	AccountOf(ctx context.Context, user UserID, currency string) (*Account, error)
	// UpdateAccount writes a's status, decider and reason; ENOTFOUND.
	UpdateAccount(ctx context.Context, a *Account) error
	// Accounts lists accounts, newest first.
	Accounts(ctx context.Context, f AccountFilter) ([]*Account, error)

	// CreateRule inserts a rule version and sets its ID (and RuleID, for a
	// new rule, to the same value).
	CreateRule(ctx context.Context, r *RuleVersion) error
	// RuleVersions returns the versions in a status, by rule ID.
	RuleVersions(ctx context.Context, status RuleStatus) ([]*RuleVersion, error)
	// RuleVersion returns one version; ENOTFOUND.
	RuleVersion(ctx context.Context, id ID) (*RuleVersion, error)
	// UpdateRuleStatus moves a version to a status; ENOTFOUND.
	UpdateRuleStatus(ctx context.Context, id ID, status RuleStatus) error

	// CreateQuote inserts q and sets its ID.
	CreateQuote(ctx context.Context, q *Quote) error
	// Quote returns a quote; ENOTFOUND.
	Quote(ctx context.Context, id ID) (*Quote, error)

	// CreateTransfer inserts t and sets its ID; ECONFLICT if its quote was
	// used already.
	CreateTransfer(ctx context.Context, t *Transfer) error
	// Transfer returns a transfer, locked until the transaction ends; ENOTFOUND.
	Transfer(ctx context.Context, id ID) (*Transfer, error)
	// UpdateTransfer writes t's state fields; ENOTFOUND.
	UpdateTransfer(ctx context.Context, t *Transfer) error
	// Transfers lists transfers matching the filter, newest first.
	Transfers(ctx context.Context, f TransferFilter) ([]*Transfer, error)
	// BatchTotals sums a batch's transfers by status.
	BatchTotals(ctx context.Context, batch ID) (map[TransferStatus]TransferTotals, error)
	// BatchFunds returns, in one read, a batch's balance and the sum of the
	// payouts of the transfers taken in it and not yet finished.
	BatchFunds(ctx context.Context, batch ID) (balance, reserved int64, err error)
	// SentSince sums what the user sent in the currency, in transfers not
	// cancelled, expired or rejected, created at or after since.
	SentSince(ctx context.Context, user UserID, currency string, since time.Time) (int64, error)

	// CreateBatch inserts b and sets its ID; ECONFLICT if the cashier has an
	// open batch for the pair.
	CreateBatch(ctx context.Context, b *Batch) error
	// Batch returns a batch, locked until the transaction ends; ENOTFOUND.
	Batch(ctx context.Context, id ID) (*Batch, error)
	// OpenBatchOf returns the cashier's open batch for the pair, locked
	// until the transaction ends; ENOTFOUND when there is none.
	OpenBatchOf(ctx context.Context, cashier UserID, base, quote string) (*Batch, error)
	// UpdateBatch writes b's status, summary and close time; ENOTFOUND.
	UpdateBatch(ctx context.Context, b *Batch) error
	// Batches lists batches, newest first.
	Batches(ctx context.Context, f BatchFilter) ([]*Batch, error)

	// CreateWithdrawal inserts w and sets its ID.
	CreateWithdrawal(ctx context.Context, w *Withdrawal) error
	// Withdrawal returns a withdrawal, locked; ENOTFOUND.
	Withdrawal(ctx context.Context, id ID) (*Withdrawal, error)
	// UpdateWithdrawal writes w's status, decider and reason; ENOTFOUND.
	UpdateWithdrawal(ctx context.Context, w *Withdrawal) error
	// Withdrawals lists withdrawals, newest first.
	Withdrawals(ctx context.Context, f WithdrawalFilter) ([]*Withdrawal, error)
	// Held sums the requested (undecided) withdrawals of an account.
	Held(ctx context.Context, account ID) (int64, error)

	// Postings returns an account's postings with Time in [from, to) and ID
	// greater than after, in order, at most limit, each with its entry's
	// description and reference.
	Postings(ctx context.Context, account LedgerAccount, from, to time.Time, after ID, limit int) ([]*StatementLine, error)
	// BalanceBefore sums an account's postings before t, or before the
	// posting with ID after when after is not zero.
	BalanceBefore(ctx context.Context, account LedgerAccount, t time.Time, after ID) (int64, error)
}

// AccountFilter selects accounts; zero fields match all.
type AccountFilter struct {
	UserID UserID
	Status AccountStatus
	Limit  int
}

// TransferFilter selects transfers; zero fields match all.
type TransferFilter struct {
	Status    TransferStatus
	ClientID  UserID
	CashierID UserID
	BatchID   ID
	From, To  time.Time // created in [From, To)
	Before    ID        // IDs below, for paging newest first
	Limit     int
}

// TransferTotals sums a set of transfers, in minor units of their send
// (Send, Commission, AgentShare) and payout (Receive) currencies.
type TransferTotals struct {
	Count      int
	Send       int64
	Commission int64
	AgentShare int64
	Receive    int64
}

// BatchFilter selects batches; zero fields match all.
type BatchFilter struct {
	CashierID UserID
	Status    BatchStatus
	Base      string
	Quote     string
	From, To  time.Time // opened in [From, To)
	Limit     int
}

// WithdrawalFilter selects withdrawals; zero fields match all.
type WithdrawalFilter struct {
	UserID UserID
	Status WithdrawalStatus
	Limit  int
}

// StatementLine is one posting on an account with what caused it.
type StatementLine struct {
	ID          ID // the posting's ID
	EntryID     ID
	Time        time.Time
	Description string
	RefType     string
	RefID       ID
	Currency    string
	Minor       int64 // signed: positive credits the account
}

// UserFilter selects users.
type UserFilter struct {
	Search string // matches ID or display name
	Role   Role   // 0 for any
	Limit  int
}

// LedgerState is a consistent picture of the ledger for the invariant
// checker: sums of all postings per currency, the balance of every
// non-negative account derived from postings, and the cached balances.
type LedgerState struct {
	CurrencySums map[string]int64
	Derived      map[LedgerAccount]int64
	Cached       map[LedgerAccount]int64
}

// Read names one read of Tx, for Tx.Prefetch.
type Read struct {
	Kind ReadKind
	// What the read is of: an ID; a user ID, setting key or base currency
	// in Key; a pair or quote currency in Key2; an instant (microseconds)
	// in At.
	ID        ID
	Key, Key2 string
	At        int64
}

// ReadKind is the Tx method a Read stands for.
type ReadKind int

// The reads that can be prefetched. The reads "of a transfer" find a row
// through the transfer, whose ID is all a use case knows before it reads
// the transfer; what they find is then what the Tx method for that row
// returns (Batch, Quote, OpenBatchOf, BatchFunds).
const (
	ReadUser        ReadKind = iota + 1 // Tx.User
	ReadQuote                           // Tx.Quote
	ReadBatch                           // Tx.Batch
	ReadCurrencies                      // Tx.Currencies
	ReadCountries                       // Tx.Countries
	ReadSetting                         // Tx.Setting
	ReadCurrentRate                     // Tx.CurrentRate
	ReadTransfer                        // Tx.Transfer
	ReadOpenBatch                       // Tx.OpenBatchOf
	ReadBatchFunds                      // Tx.BatchFunds
	ReadNewID                           // the ID of a row the transaction will create

	ReadTransferBatch          // the batch a transfer is in
	ReadTransferQuote          // the quote a transfer was made from
	ReadTransferOpenBatch      // a cashier's open batch for a transfer's pair
	ReadTransferOpenBatchFunds // the funds of that batch
)

// UserRead is Tx.User(id).
func UserRead(id UserID) Read { return Read{Kind: ReadUser, Key: string(id)} }

// QuoteRead is Tx.Quote(id).
func QuoteRead(id ID) Read { return Read{Kind: ReadQuote, ID: id} }

// BatchRead is Tx.Batch(id).
func BatchRead(id ID) Read { return Read{Kind: ReadBatch, ID: id} }

// CurrenciesRead is Tx.Currencies().
func CurrenciesRead() Read { return Read{Kind: ReadCurrencies} }

// CountriesRead is Tx.Countries().
func CountriesRead() Read { return Read{Kind: ReadCountries} }

// SettingRead is Tx.Setting(key).
func SettingRead(key string) Read { return Read{Kind: ReadSetting, Key: key} }

// CurrentRateRead is Tx.CurrentRate(base, quote, at).
func CurrentRateRead(base, quote string, at time.Time) Read {
	return Read{Kind: ReadCurrentRate, Key: base, Key2: quote, At: Micros(at)}
}

// NewIDRead reserves the ID that the transaction's next CreateQuote
// (kind "quote"), CreateTransfer ("transfer") or Post ("entry") gives its
// row, so that the store can send the row with a later round trip.
func NewIDRead(kind string) Read { return Read{Kind: ReadNewID, Key: kind} }

// TransferRead is Tx.Transfer(id).
func TransferRead(id ID) Read { return Read{Kind: ReadTransfer, ID: id} }

// OpenBatchRead is Tx.OpenBatchOf(cashier, base, quote).
func OpenBatchRead(cashier UserID, base, quote string) Read {
	return Read{Kind: ReadOpenBatch, Key: string(cashier), Key2: Pair(base, quote)}
}

// BatchFundsRead is Tx.BatchFunds(batch).
func BatchFundsRead(batch ID) Read { return Read{Kind: ReadBatchFunds, ID: batch} }

// TransferBatchRead is Tx.Batch of the batch the transfer is in.
func TransferBatchRead(transfer ID) Read { return Read{Kind: ReadTransferBatch, ID: transfer} }

// TransferQuoteRead is Tx.Quote of the quote the transfer was made from.
func TransferQuoteRead(transfer ID) Read { return Read{Kind: ReadTransferQuote, ID: transfer} }

// TransferOpenBatchRead is Tx.OpenBatchOf the cashier for the transfer's
// pair.
func TransferOpenBatchRead(cashier UserID, transfer ID) Read {
	return Read{Kind: ReadTransferOpenBatch, Key: string(cashier), ID: transfer}
}

// TransferOpenBatchFundsRead is Tx.BatchFunds of that batch.
func TransferOpenBatchFundsRead(cashier UserID, transfer ID) Read {
	return Read{Kind: ReadTransferOpenBatchFunds, Key: string(cashier), ID: transfer}
}
