package cambista

import (
	"context"
	"time"
)

// Store is the database. Every change happens inside WithTx; every read that
// must be consistent across several queries happens inside View.
type Store interface {
	// WithTx runs fn in a read-write transaction and commits it if fn returns
	// nil. Audit events passed to Tx.Audit are sealed into the chain just
	// before commit. A transaction that loses a race (SQLITE_BUSY, a
	// PostgreSQL serialization failure or deadlock) is retried from the
	// start, so fn must only change state through tx and its own locals.
	WithTx(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction over one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
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

	// Audit queues an event; WithTx seals it into the chain at commit.
	Audit(ev *AuditEvent)
	// AuditEvents returns events with Seq > after, in order, at most limit.
	AuditEvents(ctx context.Context, after int64, limit int) ([]*AuditEvent, error)

	// ClaimKey claims an idempotency key for a request with the given hash.
	// If the key was claimed before, it returns the earlier request's hash
	// and result with claimed false; the caller compares hashes.
	ClaimKey(ctx context.Context, key, requestHash string) (claimed bool, prevHash string, result []byte, err error)
	// SaveKeyResult stores the result of the request that claimed key.
	SaveKeyResult(ctx context.Context, key string, result []byte) error

	// Enqueue writes an outbox message, due at m.RunAt (now if zero).
	Enqueue(ctx context.Context, m *OutboxMessage) error
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
