package app

import (
	"context"
	"time"

	"github.com/cambista/cambista"
)

// Store is the database as the use cases see it. Every change happens
// inside WithTx; every read that must be consistent across several queries
// happens inside View. Package store implements it on SQLite and
// PostgreSQL.
type Store interface {
	// WithTx runs fn in a read-write transaction and commits it if fn returns
	// nil. Audit events passed to Tx.Audit are written with the transaction,
	// unsealed, and chained by the sealer moments after commit. A transaction
	// that loses a race (SQLITE_BUSY, a PostgreSQL serialization failure or
	// deadlock) is retried from the start, so fn must only change state
	// through tx and its own locals.
	WithTx(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction over one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Stream runs fn once in a read-only transaction over one consistent
	// snapshot, for reads whose rows fn hands on as they arrive. Unlike View
	// it never retries: by the time a read fails, rows may have been written
	// out.
	Stream(ctx context.Context, fn func(Tx) error) error
	// ViewReplica is View on the read replica, when the store has one
	// that answers and lags less than its limit, and on the primary
	// otherwise. Its snapshot may miss the latest commits, so only reads
	// that tolerate that use it: reports, statements, the dashboard. With
	// a context made by Fresh it misses none: the replica serves it only
	// once it has replayed every commit made before the call.
	ViewReplica(ctx context.Context, fn func(Tx) error) error
	// StreamReplica is Stream on the read replica, as ViewReplica is View.
	StreamReplica(ctx context.Context, fn func(Tx) error) error
	// Seal chains every committed audit event not yet sealed and returns how
	// many it sealed; after it, AuditEvents returns every event committed
	// before the call.
	Seal(ctx context.Context) (int64, error)
}

type freshKey struct{}

// Fresh returns a context whose reads must see every write committed before
// them, even reads that may go to a read replica (Store.ViewReplica): the
// panel asks for it on the page it shows right after a person's own
// change, so that the page shows that change, and the audit log's reads,
// which promise every event sealed before them.
func Fresh(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshKey{}, true)
}

// IsFresh reports whether ctx was made by Fresh.
func IsFresh(ctx context.Context) bool {
	fresh, _ := ctx.Value(freshKey{}).(bool)
	return fresh
}

// Tx is one database transaction as the use cases see it: the store of each
// entity, declared beside the entity's type in package cambista, the
// panel's sessions, one clock, and a hint of the reads about to be made.
// Methods return *cambista.Error values with codes ENOTFOUND, ECONFLICT,
// EINVALID or EINSUFFICIENT as each documents, and EINTERNAL for anything
// else. A helper that needs one entity asks for that entity's store, not
// for Tx.
type Tx interface {
	// Now is the transaction's clock: one instant, in UTC, truncated to
	// microseconds, for every timestamp the transaction writes.
	Now() time.Time

	cambista.UserStore
	cambista.CurrencyStore
	cambista.CountryStore
	cambista.RateStore
	cambista.SettingStore
	cambista.AccountStore
	cambista.AgentRequestStore
	cambista.RuleStore
	cambista.QuoteStore
	cambista.TransferStore
	cambista.BatchStore
	cambista.WithdrawalStore
	cambista.DepositStore
	cambista.RefundStore
	cambista.ProofStore
	cambista.DisputeStore
	cambista.LedgerStore
	cambista.OverviewStore
	cambista.AlertStore
	cambista.AuditLog
	cambista.Outbox
	cambista.OutboxQueue
	cambista.MessageRefStore
	cambista.NotionPageStore
	cambista.KeyStore
	cambista.HistoryStore
	SessionStore
	PlaygroundStore

	// Prefetch names reads the transaction is about to make, before it
	// makes the first, so that the store may fetch them together
	// (PostgreSQL sends them with the next statement, in one round trip;
	// SQLite, where a read costs no round trip, ignores them). Each read
	// then returns what it would have returned without Prefetch, once.
	//
	// A write discards what was prefetched and not yet read, so that a
	// read after a write sees it: prefetch after the writes a read must
	// see, and only what the transaction reads on its way to success. A
	// read that locks its row (see ReadKind) takes the lock when it is
	// sent, read or not, and holds it until the transaction ends. The
	// reads are sent in the order of their kinds (and, within a kind, of
	// what they are of), whatever the order of the arguments: that order
	// is the lock order, and a use case that also locks rows with reads it
	// does not prefetch takes them in the same order, so that no two
	// transactions wait for each other.
	Prefetch(ctx context.Context, reads ...Read)
}

// Read names one read of Tx, for Tx.Prefetch.
type Read struct {
	Kind ReadKind
	// What the read is of: an ID; a user ID, setting key or base currency
	// in Key; a pair or quote currency in Key2; an instant (microseconds)
	// in At.
	ID        cambista.ID
	Key, Key2 string
	At        int64
}

// ReadKind is the Tx method a Read stands for. Making a read
// prefetchable takes a constant here, in its place in the lock order, and
// a constructor below; in package store, an entry in the table of reads
// (its statement, arguments, decoding), through which the Tx method then
// reads.
type ReadKind int

// The reads that can be prefetched, in the order Prefetch sends them. The
// reads "of a transfer" find a row through the transfer, whose ID is all a
// use case knows before it reads the transfer; what they find is then what
// the Tx method for that row returns (Batch, Quote, OpenBatchOf,
// BatchFunds).
const (
	// Reads that lock nothing.
	ReadCurrencies    ReadKind = iota + 1 // Tx.Currencies
	ReadCountries                         // Tx.Countries
	ReadSetting                           // Tx.Setting
	ReadCurrentRate                       // Tx.CurrentRate
	ReadQuote                             // Tx.Quote
	ReadTransferQuote                     // the quote a transfer was made from
	ReadNewID                             // the cambista.ID of a row the transaction will create

	// Reads that lock their row in a write transaction, in lock order:
	// the user, then the transfer, then the batch.
	ReadUser              // Tx.User
	ReadTransfer          // Tx.Transfer
	ReadBatch             // Tx.Batch
	ReadTransferBatch     // the batch a transfer is in
	ReadOpenBatch         // Tx.OpenBatchOf
	ReadTransferOpenBatch // a cashier's open batch for a transfer's pair

	// A batch's funds, after the batch's lock, so that they count every
	// take committed before it was granted.
	ReadBatchFunds             // Tx.BatchFunds
	ReadTransferOpenBatchFunds // the funds of a cashier's open batch for a transfer's pair
)

// UserRead is Tx.User(id).
func UserRead(id cambista.UserID) Read { return Read{Kind: ReadUser, Key: string(id)} }

// QuoteRead is Tx.Quote(id).
func QuoteRead(id cambista.ID) Read { return Read{Kind: ReadQuote, ID: id} }

// BatchRead is Tx.Batch(id).
func BatchRead(id cambista.ID) Read { return Read{Kind: ReadBatch, ID: id} }

// CurrenciesRead is Tx.Currencies().
func CurrenciesRead() Read { return Read{Kind: ReadCurrencies} }

// CountriesRead is Tx.Countries().
func CountriesRead() Read { return Read{Kind: ReadCountries} }

// SettingRead is Tx.Setting(key).
func SettingRead(key string) Read { return Read{Kind: ReadSetting, Key: key} }

// CurrentRateRead is Tx.CurrentRate(base, quote, at).
func CurrentRateRead(base, quote string, at time.Time) Read {
	return Read{Kind: ReadCurrentRate, Key: base, Key2: quote, At: cambista.Micros(at)}
}

// NewIDRead reserves the ID that the transaction's next CreateQuote
// (kind "quote"), CreateTransfer ("transfer") or Post ("entry") gives its
// row, so that the store can send the row with a later round trip.
func NewIDRead(kind string) Read { return Read{Kind: ReadNewID, Key: kind} }

// TransferRead is Tx.Transfer(id).
func TransferRead(id cambista.ID) Read { return Read{Kind: ReadTransfer, ID: id} }

// OpenBatchRead is Tx.OpenBatchOf(cashier, base, quote).
func OpenBatchRead(cashier cambista.UserID, base, quote string) Read {
	return Read{Kind: ReadOpenBatch, Key: string(cashier), Key2: cambista.Pair(base, quote)}
}

// BatchFundsRead is Tx.BatchFunds(batch).
func BatchFundsRead(batch cambista.ID) Read { return Read{Kind: ReadBatchFunds, ID: batch} }

// TransferBatchRead is Tx.Batch of the batch the transfer is in.
func TransferBatchRead(transfer cambista.ID) Read {
	return Read{Kind: ReadTransferBatch, ID: transfer}
}

// TransferQuoteRead is Tx.Quote of the quote the transfer was made from.
func TransferQuoteRead(transfer cambista.ID) Read {
	return Read{Kind: ReadTransferQuote, ID: transfer}
}

// TransferOpenBatchRead is Tx.OpenBatchOf the cashier for the transfer's
// pair.
func TransferOpenBatchRead(cashier cambista.UserID, transfer cambista.ID) Read {
	return Read{Kind: ReadTransferOpenBatch, Key: string(cashier), ID: transfer}
}

// TransferOpenBatchFundsRead is Tx.BatchFunds of that batch.
func TransferOpenBatchFundsRead(cashier cambista.UserID, transfer cambista.ID) Read {
	return Read{Kind: ReadTransferOpenBatchFunds, Key: string(cashier), ID: transfer}
}
