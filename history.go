package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// HistoryStore reads what happened over a period, for reports. Each read
// hands its rows to fn as they arrive from the database, so a read of a
// million rows holds one at a time; fn's error stops the read and is
// returned. Periods are [from, to).
type HistoryStore interface {
	// StreamPostings calls fn with each posting on the account whose entry's
	// time is in the period, in the order of posting IDs (as Postings pages
	// them), each with its entry's description and reference.
	StreamPostings(ctx context.Context, account LedgerAccount, from, to time.Time, fn func(*StatementLine) error) error
	// StreamTransfers calls fn with each transfer created in the period, in
	// order of ID.
	StreamTransfers(ctx context.Context, from, to time.Time, fn func(*Transfer) error) error
	// StreamBatches calls fn with each batch closed in the period, and each
	// batch still open that was opened in it, in order of ID. A batch thus
	// belongs to the period of its closing, where its summary is final; an
	// open batch shows in the period it was opened until it closes.
	StreamBatches(ctx context.Context, from, to time.Time, fn func(*Batch) error) error
	// StreamAgentCommissions calls fn with each agent's commissions per
	// currency over the transfers completed in the period, by agent ID and
	// currency.
	StreamAgentCommissions(ctx context.Context, from, to time.Time, fn func(*AgentCommission) error) error
	// StreamAuditEvents calls fn with each sealed audit event whose time is
	// in the period, in chain order. Events committed and not yet sealed
	// are not among them: seal them first to read every event.
	StreamAuditEvents(ctx context.Context, from, to time.Time, fn func(*AuditEvent) error) error
}

// AgentCommission is what one agent earned in one currency over a period:
// the completed transfers of the clients they referred and the sum of their
// shares of the commission.
type AgentCommission struct {
	AgentID   UserID
	AgentName string // the agent's display name, "" if they are not registered
	Transfers int
	Share     money.Amount
}
