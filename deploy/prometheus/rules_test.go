// Package prometheus checks the alert rules with promtool.
package prometheus

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
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

// TestRunbook: every alert has its section in docs/operations.md, and
// its runbook annotation points at it.
func TestRunbook(t *testing.T) {
	b, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert       string            `json:"alert"`
				Annotations map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(b, &rules); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			n++
			if !strings.Contains(string(doc), "\n### "+r.Alert+"\n") {
				t.Errorf("docs/operations.md has no section ### %s", r.Alert)
			}
			if want := "docs/operations.md#" + strings.ToLower(r.Alert); r.Annotations["runbook"] != want {
				t.Errorf("%s: runbook %q, want %q", r.Alert, r.Annotations["runbook"], want)
			}
		}
	}
	if n < 10 {
		t.Fatalf("%d alerts read", n)
	}
}
