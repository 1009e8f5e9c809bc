package cambista

import "time"

// Tx is one database transaction, as the use cases see it: the stores of
// each entity, under one clock. Methods return *Error values with codes
// ENOTFOUND, ECONFLICT, EINVALID or EINSUFFICIENT as documented, and
// EINTERNAL for anything else. A helper that needs one entity asks for
// that entity's store, not for Tx.
type Tx interface {
	// Now is the transaction's clock: one instant, in UTC, truncated to
	// microseconds, for every timestamp the transaction writes.
	Now() time.Time

	UserStore
	CurrencyStore
	CountryStore
	RateStore
	SettingStore
	AccountStore
	RuleStore
	QuoteStore
	TransferStore
	BatchStore
	WithdrawalStore
	LedgerStore
	OverviewStore
	AuditLog
	Outbox
	KeyStore
}
