// Package prometheus checks the alert rules with promtool.
package prometheus

import (
	"os"
	"os/exec"
	"testing"
)

// TestRules runs promtool check rules and promtool test rules (the unit
// tests in alerts_test.yml). Without promtool it skips, saying so, unless
// CAMBISTA_REQUIRE_PROMTOOL is set (.ci/run sets it, having installed it).
func TestRules(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		if os.Getenv("CAMBISTA_REQUIRE_PROMTOOL") != "" {
			t.Fatal("promtool is not on PATH: apt-get install prometheus")
		}
		t.Skip("promtool is not on PATH (apt-get install prometheus): the alert rules are not checked")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		if out, err := exec.Command("promtool", args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
