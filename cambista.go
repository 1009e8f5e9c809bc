// Package cambista holds the vocabulary of a currency-exchange and remittance
// business run inside a Discord server: users and their roles, currencies,
// countries and rates, accounts, transfers, batches, withdrawals, journal
// entries and audit events, the state machines that govern them, the
// permission matrix, the error codes, and the Store contract.
//
// It imports only the standard library and the leaf package money, so every
// other package (ledger, rules, app, store, adapters) points inward to it.
package cambista

import "time"

// UserID is a Discord user ID (a snowflake, kept as text).
type UserID string

// ID is the database identity of an entity (transfer, batch, account…).
type ID int64

// Micros returns t as integer microseconds since the Unix epoch, the form in
// which both databases store time.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// FromMicros is the inverse of Micros, in UTC.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
