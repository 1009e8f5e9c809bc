package cambista

import (
	"slices"
	"testing"
)

// TestStatesAndEnumsAreWords: every state of a lifecycle, every rule
// status, role and user type has a word, so that no adapter shows one in
// English to a Spanish reader.
func TestStatesAndEnumsAreWords(t *testing.T) {
	names := slices.Concat(lifecycleStates(accountLifecycle), lifecycleStates(transferLifecycle),
		lifecycleStates(batchLifecycle), lifecycleStates(withdrawalLifecycle), lifecycleStates(depositLifecycle), lifecycleStates(refundLifecycle),
		[]string{string(RuleDraft), string(RulePublished), string(RuleRetired), string(UserTypeClient), string(UserTypeAgent)})
	for _, r := range Roles {
		names = append(names, r.String())
	}
	for _, s := range names {
		if _, ok := WordFor(s).(Word); !ok {
			t.Errorf("%q is not a word", s)
		}
	}
}

func lifecycleStates[S state](l lifecycle[S]) []string {
	var out []string
	for from, tos := range l.next {
		out = append(out, string(from))
		for _, to := range tos {
			out = append(out, string(to))
		}
	}
	return out
}
