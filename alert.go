package cambista

import (
	"context"
	"time"

	"github.com/cambista/cambista/money"
)

// AlertRule names a liquidity or exposure rule that watches the open
// batches and the currencies.
type AlertRule string

// The rules. Each is off until a superuser gives it a threshold.
const (
	// AlertLowCapital: an open batch's available capital (its balance less
	// the payouts of the transfers taken in it) is below the minimum set
	// for its currency.
	AlertLowCapital AlertRule = "batch.low_capital"
	// AlertQueueShort: an open batch's available capital is below what the
	// pending transfers of its pair would pay out.
	AlertQueueShort AlertRule = "batch.queue_short"
	// AlertBatchAge: a batch has been open longer than the limit.
	AlertBatchAge AlertRule = "batch.open_too_long"
	// AlertExposure: the capital held in open batches in a currency is
	// above the limit set for it.
	AlertExposure AlertRule = "currency.exposure"
)

// Alert is one crossing of a rule's threshold: raised when the check first
// sees the condition, cleared when it first sees it gone. While it is
// active no other alert of the rule and subject is raised, so each crossing
// is announced once.
type Alert struct {
	ID      ID
	Rule    AlertRule
	Subject string // what the rule watches: "batch:7", or a currency code
	// BatchID and CashierID name the batch and its cashier, for the batch
	// rules.
	BatchID   ID
	CashierID UserID
	Pair      string // the batch's pair, "USD/VES"
	// Value and Limit are what the check saw and the threshold it crossed,
	// for the rules on money; OpenFor and MaxOpen for AlertBatchAge.
	Value, Limit     money.Amount
	OpenFor, MaxOpen time.Duration
	RaisedAt         time.Time
	ClearedAt        time.Time // zero while active
}

// Active reports whether the alert has not been cleared.
func (a *Alert) Active() bool { return a.ClearedAt.IsZero() }

// AlertThresholds are the limits the rules compare with, set by a
// superuser. A rule without a threshold is off.
type AlertThresholds struct {
	// MinCapital is, per currency, the least available capital an open
	// batch paying out in it may hold.
	MinCapital map[string]int64 `json:"min_capital,omitempty"` // minor units
	// MaxExposure is, per currency, the most capital the open batches
	// paying out in it may hold together.
	MaxExposure map[string]int64 `json:"max_exposure,omitempty"` // minor units
	// MaxBatchAge is how long a batch may stay open; 0 is off.
	MaxBatchAge time.Duration `json:"max_batch_age,omitempty"`
	// QueueCover compares each open batch with its pair's pending queue.
	QueueCover bool `json:"queue_cover,omitempty"`
}

// Off reports whether every rule is off.
func (t *AlertThresholds) Off() bool {
	return len(t.MinCapital) == 0 && len(t.MaxExposure) == 0 && t.MaxBatchAge == 0 && !t.QueueCover
}

// AlertStore keeps the alerts raised by the liquidity and exposure rules.
type AlertStore interface {
	// ActiveAlerts lists the alerts not cleared, oldest first.
	ActiveAlerts(ctx context.Context) ([]*Alert, error)
	// Alert returns an alert, active or cleared; ENOTFOUND.
	Alert(ctx context.Context, id ID) (*Alert, error)
	// RaiseAlert inserts a, raised now, and sets its ID, unless an active
	// alert of its rule and subject exists: then it reports false and
	// changes nothing. So two checks that see one crossing raise it once.
	RaiseAlert(ctx context.Context, a *Alert) (bool, error)
	// ClearAlert clears an active alert; false if it was already cleared.
	ClearAlert(ctx context.Context, id ID) (bool, error)
	// PendingPayouts calls fn with the sum of the payouts of the pending
	// transfers of each pair, in the pair's quote currency's minor units.
	PendingPayouts(ctx context.Context, fn func(base, quote string, minor int64)) error
}
