package rules

import (
	"testing"
	"time"
)

func TestReplaces(t *testing.T) {
	ve := Scope{ToCountry: "VE", MinAmount: dec("100")}
	base := Rule{ID: 1, Kind: Commission, Scope: ve, Effect: Effect{Percent: dec("3")}}
	for _, tc := range []struct {
		name string
		r    Rule
		want bool
	}{
		{"OtherFigureSameScope", Rule{ID: 2, Kind: Commission, Priority: 9, Scope: Scope{ToCountry: "VE", MinAmount: dec("100.00")}, Effect: Effect{Percent: dec("2.5")}}, true},
		{"UnsavedDraft", Rule{Kind: Commission, Scope: ve}, true},
		{"SameRule", Rule{ID: 1, Kind: Commission, Scope: ve}, false},
		{"OtherKind", Rule{ID: 2, Kind: Spread, Scope: ve}, false},
		{"OtherScope", Rule{ID: 2, Kind: Commission, Scope: Scope{ToCountry: "VE"}}, false},
		{"OtherValidity", Rule{ID: 2, Kind: Commission, Scope: Scope{ToCountry: "VE", MinAmount: dec("100"), ValidFrom: monday}}, false},
		{"OtherCondition", Rule{ID: 2, Kind: Commission, Scope: ve, Condition: "hour < 12"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Replaces(base); got != tc.want {
				t.Fatalf("Replaces = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("Bonus", func(t *testing.T) {
		agent := Rule{ID: 1, Kind: Bonus, Effect: Effect{To: ToAgent, Amount: dec("1"), Currency: "USD"}}
		more := Rule{ID: 2, Kind: Bonus, Effect: Effect{To: ToAgent, Amount: dec("2"), Currency: "USD"}}
		client := Rule{ID: 3, Kind: Bonus, Effect: Effect{To: ToClient, Amount: dec("1"), Currency: "USD"}}
		if !more.Replaces(agent) || client.Replaces(agent) {
			t.Fatal("a bonus replaces one paid to the same side only")
		}
	})
	t.Run("SameInstantOtherZone", func(t *testing.T) {
		a := Rule{ID: 1, Kind: Limit, Scope: Scope{ValidFrom: monday}}
		b := Rule{ID: 2, Kind: Limit, Scope: Scope{ValidFrom: monday.In(time.FixedZone("VET", -4*3600))}}
		if !b.Replaces(a) {
			t.Fatal("the same instant in another zone is the same validity")
		}
	})
}
