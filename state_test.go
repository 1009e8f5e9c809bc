package cambista_test

import (
	"strings"
	"testing"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

func TestLifecycles(t *testing.T) {
	type step struct {
		from, to string
		ok       bool
	}
	check := func(t *testing.T, steps []step, fn func(from, to string) error) {
		t.Helper()
		for _, s := range steps {
			err := fn(s.from, s.to)
			if (err == nil) != s.ok {
				t.Errorf("%s → %s: %v, want ok=%v", s.from, s.to, err, s.ok)
			}
			if err != nil && cambista.ErrorCode(err) != cambista.ECONFLICT {
				t.Errorf("%s → %s: code %q, want conflict", s.from, s.to, cambista.ErrorCode(err))
			}
		}
	}
	t.Run("Account", func(t *testing.T) {
		check(t, []step{
			{"requested", "approved", true}, {"requested", "rejected", true}, {"approved", "frozen", true},
			{"frozen", "approved", true}, {"rejected", "approved", false}, {"approved", "requested", false},
			{"requested", "frozen", false},
		}, func(f, to string) error {
			return cambista.AccountStatus(f).CheckTransition(cambista.AccountStatus(to))
		})
	})
	t.Run("Transfer", func(t *testing.T) {
		check(t, []step{
			{"quoted", "pending", true}, {"pending", "taken", true}, {"taken", "completed", true},
			{"taken", "rejected", true}, {"pending", "cancelled", true}, {"pending", "expired", true},
			{"taken", "pending", true}, {"rejected", "completed", false}, {"completed", "rejected", false},
			{"taken", "cancelled", false}, {"cancelled", "pending", false}, {"expired", "taken", false},
		}, func(f, to string) error {
			return cambista.TransferStatus(f).CheckTransition(cambista.TransferStatus(to))
		})
	})
	t.Run("Batch", func(t *testing.T) {
		check(t, []step{{"open", "closed", true}, {"closed", "closed", false}, {"closed", "open", false}},
			func(f, to string) error { return cambista.BatchStatus(f).CheckTransition(cambista.BatchStatus(to)) })
	})
	t.Run("Withdrawal", func(t *testing.T) {
		check(t, []step{
			{"requested", "approved", true}, {"requested", "rejected", true},
			{"approved", "rejected", false}, {"rejected", "approved", false},
		}, func(f, to string) error {
			return cambista.WithdrawalStatus(f).CheckTransition(cambista.WithdrawalStatus(to))
		})
	})
	t.Run("Dispute", func(t *testing.T) {
		check(t, []step{
			{"opened", "rejected", true}, {"opened", "refunded", true},
			{"rejected", "refunded", false}, {"refunded", "rejected", false}, {"rejected", "opened", false},
		}, func(f, to string) error {
			return cambista.DisputeStatus(f).CheckTransition(cambista.DisputeStatus(to))
		})
	})
	err := cambista.TransferStatus("rejected").CheckTransition(cambista.TransferCompleted)
	if got := cambista.ErrorMessage(err).String(); got != "This transfer is rejected and cannot become completed." {
		t.Errorf("message %q", got)
	}
	// Spanish: a dispute is feminine, so are its states.
	err = cambista.DisputeStatus("rejected").CheckTransition(cambista.DisputeOpened)
	if got := i18n.T(i18n.ES, cambista.ErrorMessage(err)); !strings.Contains(got, "disputa") || !strings.Contains(got, "abierta") {
		t.Errorf("Spanish message %q", got)
	}
}
