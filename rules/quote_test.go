package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// The design's worked example: 100.00 USD to VES at 40, 3 % commission of
// which the referring agent gets 1.00 USD.
func workedExample(tb testing.TB) (*Set, Input) {
	tb.Helper()
	in := input(tb, amt(10000, usd), ves, "40.00")
	in.HasReferrer = true
	return mustSet(tb, workedRules()...), in
}

func workedRules() []Rule {
	return []Rule{
		{ID: 1, Version: 2, Name: "Standard USD→VES", Priority: 10, Kind: Commission,
			Scope:  Scope{FromCurrency: "USD", ToCurrency: "VES"},
			Effect: Effect{Percent: dec("3")}},
		{ID: 2, Version: 1, Name: "Agent share", Kind: AgentShare,
			Effect: Effect{Percent: dec("33.34")}},
	}
}

func TestWorkedExample(t *testing.T) {
	s, in := workedExample(t)
	q := mustQuote(t, s, in)
	wantAmount(t, "Send", q.Send, amt(10000, usd))
	wantAmount(t, "Commission", q.Commission, amt(300, usd))
	wantAmount(t, "AgentShare", q.AgentShare, amt(100, usd)) // 3.00 × 0.3334 = 1.0002
	wantAmount(t, "Net", q.Net, amt(9700, usd))
	wantAmount(t, "Receive", q.Receive, amt(388000, ves))
	if !q.Rate.Equal(mustRate(t, "40")) || !q.BaseRate.Equal(mustRate(t, "40")) || q.RateID != 7 {
		t.Errorf("rates = %v, %v, ID %d; want 40, 40, 7", q.BaseRate, q.Rate, q.RateID)
	}
	want := []Applied{
		{RuleID: 1, Version: 2, Name: "Standard USD→VES", Kind: Commission, Amount: amt(300, usd),
			Basis: BasisPercent, Percent: dec("3"), Fixed: amt(0, usd)},
		{RuleID: 2, Version: 1, Name: "Agent share", Kind: AgentShare, Amount: amt(100, usd), Percent: dec("33.34")},
	}
	if len(q.Applied) != len(want) {
		t.Fatalf("Applied = %+v, want %+v", q.Applied, want)
	}
	for i := range want {
		g, w := q.Applied[i], want[i]
		if g.RuleID != w.RuleID || g.Version != w.Version || g.Name != w.Name || g.Kind != w.Kind ||
			g.Amount != w.Amount || g.Basis != w.Basis || !g.Percent.Equal(w.Percent) || g.Fixed != w.Fixed {
			t.Errorf("Applied[%d] = %+v, want %+v", i, g, w)
		}
	}
	if len(q.Bonuses) != 0 {
		t.Errorf("Bonuses = %v, want none", q.Bonuses)
	}
}

func TestQuoteCommission(t *testing.T) {
	tiers := Rule{ID: 1, Name: "Tiers", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
		Effect: Effect{Tiers: []Tier{
			{UpTo: dec("100"), Percent: dec("5")},
			{UpTo: dec("1000"), Percent: dec("3"), Fixed: dec("1.00")},
			{Percent: dec("2")},
		}}}
	caps := Rule{ID: 1, Name: "Caps", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
		Effect: Effect{Percent: dec("1"), Min: dec("2.00"), Max: dec("10")}}
	formula := Rule{ID: 1, Name: "Formula", Kind: Commission, Effect: Effect{Formula: "amount / 100 + 50"}}
	formulaCapped := formula
	formulaCapped.Scope.FromCurrency = "USD"
	formulaCapped.Effect.Max = dec("1")

	tests := []struct {
		name       string
		rule       *Rule // nil: no rules
		send       money.Amount
		to         money.Currency
		rate       string
		commission money.Amount
		basis      Basis
		receive    money.Amount
	}{
		{"Percent", new(commissionRule(1, "3")), amt(10000, usd), ves, "40", amt(300, usd), BasisPercent, amt(388000, ves)},
		// Exponent 0: 98.00 × 950.5 = 93149 exactly, and 97.55 × 950.5 =
		// 92721.275 rounds to whole pesos.
		{"CLPPayout", new(commissionRule(1, "2")), amt(10000, usd), clp, "950.5", amt(200, usd), BasisPercent, amt(93149, clp)},
		{"CLPPayoutRounded", new(commissionRule(1, "2")), amt(9954, usd), clp, "950.5", amt(199, usd), BasisPercent, amt(92721, clp)},
		// 1.5 % of 100001 CLP = 1500.015 → 1500; 98501 × 0.00105 = 103.42605.
		{"CLPSend", new(commissionRule(1, "1.5")), amt(100001, clp), usd, "0.00105", amt(1500, clp), BasisPercent, amt(10343, usd)},
		// 98500 × 0.00105 = 103.425: half-even keeps 103.42, half-up gives 103.43.
		{"PayoutHalfEven", new(commissionRule(1, "1.5")), amt(100000, clp), usd, "0.00105", amt(1500, clp), BasisPercent, amt(10342, usd)},
		{"PayoutHalfUp", new(commissionRule(1, "1.5")), amt(100000, clp), usdUp, "0.00105", amt(1500, clp), BasisPercent, amt(10343, usdUp)},
		// 2.5 % of 5.00 = 0.125: half-even 0.12, half-up 0.13.
		{"CommissionHalfEven", new(commissionRule(1, "2.5")), amt(500, usd), ves, "40", amt(12, usd), BasisPercent, amt(19520, ves)},
		{"CommissionHalfUp", new(commissionRule(1, "2.5")), amt(500, usdUp), ves, "40", amt(13, usdUp), BasisPercent, amt(19480, ves)},
		// 2.5 % of 5.40 = 0.135: both modes go up, half-even to the even 14.
		{"CommissionHalfEvenUp", new(commissionRule(1, "2.5")), amt(540, usd), ves, "40", amt(14, usd), BasisPercent, amt(21040, ves)},
		{"FixedPlusPercent", &Rule{ID: 1, Name: "Fixed", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
			Effect: Effect{Percent: dec("2"), Fixed: dec("1.50")}}, amt(10000, usd), ves, "40", amt(350, usd), BasisPercent, amt(386000, ves)},
		{"FixedOnly", &Rule{ID: 1, Name: "Fixed", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
			Effect: Effect{Fixed: dec("2")}}, amt(10000, usd), ves, "40", amt(200, usd), BasisPercent, amt(392000, ves)},
		{"TierFirst", &tiers, amt(5000, usd), ves, "40", amt(250, usd), BasisTier, amt(190000, ves)},
		{"TierBoundaryIncluded", &tiers, amt(10000, usd), ves, "40", amt(500, usd), BasisTier, amt(380000, ves)},
		{"TierSecond", &tiers, amt(10001, usd), ves, "40", amt(400, usd), BasisTier, amt(384040, ves)}, // 3.0003 + 1.00
		{"TierSecondTop", &tiers, amt(100000, usd), ves, "40", amt(3100, usd), BasisTier, amt(3876000, ves)},
		{"TierOpen", &tiers, amt(200000, usd), ves, "40", amt(4000, usd), BasisTier, amt(7840000, ves)},
		{"CapMin", &caps, amt(5000, usd), ves, "40", amt(200, usd), BasisMin, amt(192000, ves)},
		{"CapNone", &caps, amt(50000, usd), ves, "40", amt(500, usd), BasisPercent, amt(1980000, ves)},
		{"CapMax", &caps, amt(500000, usd), ves, "40", amt(1000, usd), BasisMax, amt(19960000, ves)},
		{"Formula", &formula, amt(10000, usd), ves, "40", amt(150, usd), BasisFormula, amt(394000, ves)},
		{"FormulaCapped", &formulaCapped, amt(10000, usd), ves, "40", amt(100, usd), BasisMax, amt(396000, ves)},
		{"NoRule", nil, amt(10000, usd), ves, "40", amt(0, usd), "", amt(400000, ves)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rules []Rule
			if tt.rule != nil {
				rules = append(rules, *tt.rule)
			}
			q := mustQuote(t, mustSet(t, rules...), input(t, tt.send, tt.to, tt.rate))
			wantAmount(t, "Commission", q.Commission, tt.commission)
			net, _ := tt.send.Sub(tt.commission)
			wantAmount(t, "Net", q.Net, net)
			wantAmount(t, "Receive", q.Receive, tt.receive)
			if tt.rule == nil {
				if len(q.Applied) != 0 {
					t.Errorf("Applied = %+v, want none", q.Applied)
				}
				return
			}
			if len(q.Applied) != 1 || q.Applied[0].Basis != tt.basis || q.Applied[0].Amount != tt.commission {
				t.Errorf("Applied = %+v, want one commission of %v by %s", q.Applied, tt.commission, tt.basis)
			}
		})
	}
}

func TestPriority(t *testing.T) {
	rule := func(id int64, priority int, percent string) Rule {
		r := commissionRule(id, percent)
		r.Priority = priority
		return r
	}
	veOnly := rule(5, 100, "9")
	veOnly.Scope.FromCountry = "VE"
	tests := []struct {
		name  string
		rules []Rule
		want  money.Amount
	}{
		{"HigherFirst", []Rule{rule(1, 10, "3"), rule(2, 20, "2")}, amt(200, usd)},
		{"TieLowestID", []Rule{rule(9, 5, "4"), rule(3, 5, "1")}, amt(100, usd)},
		{"TieDraftsInOrder", []Rule{rule(0, 5, "4"), rule(0, 5, "1")}, amt(400, usd)},
		{"NegativePriority", []Rule{rule(1, -1, "4"), rule(2, 0, "1")}, amt(100, usd)},
		{"HigherDoesNotMatch", []Rule{veOnly, rule(1, 10, "3")}, amt(300, usd)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustQuote(t, mustSet(t, tt.rules...), input(t, amt(10000, usd), ves, "40"))
			wantAmount(t, "Commission", q.Commission, tt.want)
			if n := len(q.Applied); n != 1 {
				t.Errorf("%d rules applied, want 1: %+v", n, q.Applied)
			}
		})
	}
	t.Run("ErrDuplicateID", func(t *testing.T) {
		_, err := NewSet([]Rule{rule(4, 1, "1"), rule(4, 2, "2")})
		wantErr(t, err, cambista.EINVALID, "rules_duplicate")
	})
}

// TestScope applies a 3 % rule with one scope field set and reports whether
// it matched.
func TestScope(t *testing.T) {
	hour := monday.Add(time.Hour)
	tests := []struct {
		name  string
		scope Scope
		in    func(*Input)
		match bool
	}{
		{"Empty", Scope{}, nil, true},
		{"FromCountry", Scope{FromCountry: "CO"}, nil, true},
		{"FromCountryOther", Scope{FromCountry: "VE"}, nil, false},
		{"ToCountry", Scope{ToCountry: "VE"}, nil, true},
		{"ToCountryOther", Scope{ToCountry: "CL"}, nil, false},
		{"UserType", Scope{UserType: cambista.UserTypeClient}, nil, true},
		{"UserTypeOther", Scope{UserType: cambista.UserTypeAgent}, nil, false},
		{"FromCurrency", Scope{FromCurrency: "USD"}, nil, true},
		{"FromCurrencyOther", Scope{FromCurrency: "COP"}, nil, false},
		{"ToCurrency", Scope{ToCurrency: "VES"}, nil, true},
		{"ToCurrencyOther", Scope{ToCurrency: "CLP"}, nil, false},
		{"BeforeValidFrom", Scope{ValidFrom: monday, ValidUntil: hour}, func(in *Input) { in.At = monday.Add(-time.Nanosecond) }, false},
		{"AtValidFrom", Scope{ValidFrom: monday, ValidUntil: hour}, nil, true},
		{"InWindow", Scope{ValidFrom: monday, ValidUntil: hour}, func(in *Input) { in.At = monday.Add(30 * time.Minute) }, true},
		{"AtValidUntilExcluded", Scope{ValidFrom: monday, ValidUntil: hour}, func(in *Input) { in.At = hour }, false},
		{"OnlyValidUntil", Scope{ValidUntil: hour}, nil, true},
		{"WindowOtherZone", Scope{ValidFrom: monday, ValidUntil: hour}, func(in *Input) { in.At = monday.In(time.FixedZone("COT", -5*3600)) }, true},
		{"BelowMin", Scope{FromCurrency: "USD", MinAmount: dec("100"), MaxAmount: dec("500")}, func(in *Input) { in.Amount = amt(9999, usd) }, false},
		{"AtMin", Scope{FromCurrency: "USD", MinAmount: dec("100"), MaxAmount: dec("500")}, func(in *Input) { in.Amount = amt(10000, usd) }, true},
		{"AtMax", Scope{FromCurrency: "USD", MinAmount: dec("100"), MaxAmount: dec("500")}, func(in *Input) { in.Amount = amt(50000, usd) }, true},
		{"AboveMax", Scope{FromCurrency: "USD", MinAmount: dec("100"), MaxAmount: dec("500")}, func(in *Input) { in.Amount = amt(50001, usd) }, false},
		{"OnlyMin", Scope{FromCurrency: "USD", MinAmount: dec("100")}, func(in *Input) { in.Amount = amt(1000000, usd) }, true},
		// The range is in major units of its own currency: 300.00 COP is not 300.00 USD.
		{"RangeOtherCurrency", Scope{FromCurrency: "USD", MinAmount: dec("100"), MaxAmount: dec("500")}, func(in *Input) { in.Amount = amt(30000, cop) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := commissionRule(1, "3")
			r.Scope = tt.scope
			in := input(t, amt(10000, usd), ves, "40")
			if tt.in != nil {
				tt.in(&in)
			}
			q := mustQuote(t, mustSet(t, r), in)
			if got := len(q.Applied) == 1; got != tt.match {
				t.Errorf("matched = %v, want %v (commission %v)", got, tt.match, q.Commission)
			}
		})
	}
}

func TestCondition(t *testing.T) {
	tests := []struct {
		name      string
		condition string
		in        func(*Input)
		match     bool
	}{
		{"CountryAndAmount", `from_country == "CO" && amount > 10000`, func(in *Input) { in.Amount = amt(10001, usd) }, true},
		{"CountryAndAmountTooSmall", `from_country == "CO" && amount > 10000`, nil, false},
		{"CountryAndAmountOtherCountry", `from_country == "CO" && amount > 10000`, func(in *Input) { in.FromCountry = "VE"; in.Amount = amt(20000, usd) }, false},
		{"AmountMajor", `amount_major == "100.00"`, nil, true},
		{"AmountMajorCLP", `amount_major == "5000"`, func(in *Input) { in.Amount = amt(5000, clp) }, true},
		{"FromCurrency", `from_currency == "USD"`, nil, true},
		{"ToCurrency", `to_currency == "VES"`, nil, true},
		{"ToCountry", `to_country == "VE"`, nil, true},
		{"UserType", `user_type == "agent"`, nil, false},
		{"HasReferrer", `has_referrer`, func(in *Input) { in.HasReferrer = true }, true},
		{"NoReferrer", `has_referrer`, nil, false},
		// 15:30 UTC on a Monday, given in Bogotá time: CEL sees UTC.
		{"WeekdayHourUTC", `weekday == 1 && hour == 15`, func(in *Input) { in.At = monday.In(time.FixedZone("COT", -5*3600)) }, true},
		{"Weekend", `weekday == 0 || weekday == 6`, nil, false},
		{"Sent", `sent_today == 2500 && sent_month == 7500`, func(in *Input) {
			in.SentToday, in.SentMonth = amt(2500, usd), amt(7500, usd)
		}, true},
		{"SentZero", `sent_today == 0 && sent_month == 0`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := commissionRule(1, "3")
			r.Condition = tt.condition
			if err := Validate(r, currencies); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			in := input(t, amt(10000, usd), ves, "40")
			if tt.in != nil {
				tt.in(&in)
			}
			q := mustQuote(t, mustSet(t, r), in)
			if got := len(q.Applied) == 1; got != tt.match {
				t.Errorf("matched = %v, want %v", got, tt.match)
			}
		})
	}
}

func TestSpread(t *testing.T) {
	spread := func(percent string) Rule {
		return Rule{ID: 3, Version: 4, Name: "Spread", Kind: Spread, Effect: Effect{Percent: dec(percent)}}
	}
	tests := []struct {
		name    string
		base    string
		percent string
		rate    string
		receive money.Amount
	}{
		{"Worse", "40", "2.5", "39", amt(378300, ves)},                             // 97.00 × 39
		{"Better", "40", "-1", "40.4", amt(391880, ves)},                           // 97.00 × 40.4
		{"Zero", "40.25", "0", "40.25", amt(390425, ves)},                          // 97.00 × 40.25
		{"Rounded12", "0.000123456789012345", "1", "0.000122222221", amt(1, ves)},  // × 0.99 = 0.00012222222112…
		{"RoundedHalfEven", "0.000000000005", "50", "0.000000000002", amt(0, ves)}, // 2.5e-12 → 2e-12
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, amt(10000, usd), ves, tt.base)
			s := mustSet(t, commissionRule(1, "3"), spread(tt.percent))
			if tt.receive.IsZero() {
				// The payout rounds to nothing at such a rate; check the rate alone.
				got, err := spreadRate(mustRate(t, tt.base), dec(tt.percent))
				if err != nil || !got.Equal(mustRate(t, tt.rate)) {
					t.Errorf("spreadRate = %v, %v; want %s", got, err, tt.rate)
				}
				return
			}
			q := mustQuote(t, s, in)
			if !q.Rate.Equal(mustRate(t, tt.rate)) || !q.BaseRate.Equal(mustRate(t, tt.base)) {
				t.Errorf("Rate = %v (base %v), want %s", q.Rate, q.BaseRate, tt.rate)
			}
			wantAmount(t, "Receive", q.Receive, tt.receive)
			last := q.Applied[len(q.Applied)-1]
			if last.Kind != Spread || !last.Rate.Equal(q.Rate) || !last.Amount.IsZero() || !last.Percent.Equal(dec(tt.percent)) {
				t.Errorf("Applied = %+v, want the spread with its rate", last)
			}
		})
	}
	t.Run("ErrRateVanishes", func(t *testing.T) {
		in := input(t, amt(10000, usd), ves, "0.000000000001")
		_, err := mustSet(t, spread("50")).Quote(in) // 0.5e-12 rounds to zero
		wantErr(t, err, cambista.EINVALID, "bad_rate")
	})
}

func TestAgentShare(t *testing.T) {
	share := Rule{ID: 2, Name: "Half", Kind: AgentShare, Effect: Effect{Percent: dec("50")}}
	t.Run("OK", func(t *testing.T) {
		in := input(t, amt(1000, usd), ves, "40")
		in.HasReferrer = true
		q := mustQuote(t, mustSet(t, commissionRule(1, "2.5"), share), in) // 0.25 × 50 % = 0.125
		wantAmount(t, "Commission", q.Commission, amt(25, usd))
		wantAmount(t, "AgentShare", q.AgentShare, amt(12, usd))
	})
	t.Run("NoReferrer", func(t *testing.T) {
		q := mustQuote(t, mustSet(t, commissionRule(1, "2.5"), share), input(t, amt(1000, usd), ves, "40"))
		wantAmount(t, "AgentShare", q.AgentShare, amt(0, usd))
		if len(q.Applied) != 1 {
			t.Errorf("Applied = %+v, want only the commission", q.Applied)
		}
	})
	t.Run("NoCommission", func(t *testing.T) {
		in := input(t, amt(1000, usd), ves, "40")
		in.HasReferrer = true
		q := mustQuote(t, mustSet(t, share), in)
		wantAmount(t, "AgentShare", q.AgentShare, amt(0, usd))
	})
}

func TestBonus(t *testing.T) {
	agent := Rule{ID: 5, Version: 1, Name: "Agent promo", Priority: 1, Kind: Bonus,
		Effect: Effect{Amount: dec("5"), Currency: "USDT", To: ToAgent}}
	client := Rule{ID: 6, Version: 2, Name: "Client promo", Kind: Bonus,
		Effect: Effect{Amount: dec("1.00"), Currency: "USD", To: ToClient}}
	payout := Rule{ID: 7, Version: 1, Name: "VES gift", Kind: Bonus, Scope: Scope{ToCountry: "VE"},
		Effect: Effect{Amount: dec("10"), Currency: "VES", To: ToClient}}
	elsewhere := Rule{ID: 8, Version: 1, Name: "Chile gift", Kind: Bonus, Scope: Scope{ToCountry: "CL"},
		Effect: Effect{Amount: dec("10"), Currency: "USD", To: ToClient}}
	tests := []struct {
		name     string
		referrer bool
		lookup   bool
		want     []BonusCredit
	}{
		{"WithReferrer", true, true, []BonusCredit{
			{ToAgent, amt(5000000, usdt), 5}, {ToClient, amt(100, usd), 6}, {ToClient, amt(1000, ves), 7}}},
		{"NoReferrer", false, true, []BonusCredit{{ToClient, amt(100, usd), 6}, {ToClient, amt(1000, ves), 7}}},
		// Without a currency lookup, USD and VES are still known: they are
		// the quote's own currencies.
		{"NoLookupNoAgent", false, false, []BonusCredit{{ToClient, amt(100, usd), 6}, {ToClient, amt(1000, ves), 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, amt(10000, usd), ves, "40")
			in.HasReferrer = tt.referrer
			if tt.lookup {
				in.Currencies = currencies
			}
			q := mustQuote(t, mustSet(t, client, agent, payout, elsewhere), in)
			if fmt.Sprint(q.Bonuses) != fmt.Sprint(tt.want) {
				t.Errorf("Bonuses = %v, want %v", q.Bonuses, tt.want)
			}
			if len(q.Applied) != len(tt.want) {
				t.Errorf("Applied = %+v, want %d bonuses", q.Applied, len(tt.want))
			}
			for i, a := range q.Applied {
				if a.Kind != Bonus || a.RuleID != tt.want[i].RuleID || a.Amount != tt.want[i].Amount || a.To != tt.want[i].To {
					t.Errorf("Applied[%d] = %+v, want bonus %v", i, a, tt.want[i])
				}
			}
			wantAmount(t, "Receive", q.Receive, amt(400000, ves)) // bonuses do not change the transfer
		})
	}
	t.Run("ErrUnknownCurrency", func(t *testing.T) {
		in := input(t, amt(10000, usd), ves, "40")
		in.HasReferrer = true
		_, err := mustSet(t, agent).Quote(in)
		wantErr(t, err, cambista.EINVALID, "rules_unknown_currency")
	})
}

func TestLimit(t *testing.T) {
	limits := Rule{ID: 9, Version: 3, Name: "Client USD limits", Kind: Limit,
		Scope:  Scope{UserType: cambista.UserTypeClient, FromCurrency: "USD"},
		Effect: Effect{Daily: dec("1000"), Monthly: dec("5000")}}
	quote := func(t *testing.T, send, today, month int64, rules ...Rule) (*Quote, error) {
		t.Helper()
		in := input(t, amt(send, usd), ves, "40")
		in.SentToday, in.SentMonth = amt(today, usd), amt(month, usd)
		return mustSet(t, rules...).Quote(in)
	}
	okTests := []struct {
		name         string
		today, month int64
		left         money.Amount
		basis        Basis
	}{
		{"OK", 20000, 400000, amt(70000, usd), BasisDaily},             // 1000 − 200 − 100; monthly leaves 900
		{"OKMonthlyTighter", 0, 450000, amt(40000, usd), BasisMonthly}, // daily leaves 900
		{"OKExactlyAtLimit", 90000, 0, amt(0, usd), BasisDaily},
	}
	for _, tt := range okTests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := quote(t, 10000, tt.today, tt.month, limits)
			if err != nil {
				t.Fatal(err)
			}
			a := q.Applied[0]
			if a.Kind != Limit || a.Amount != tt.left || a.Basis != tt.basis {
				t.Errorf("Applied = %+v, want %v left by the %s limit", a, tt.left, tt.basis)
			}
		})
	}
	t.Run("OKZeroSent", func(t *testing.T) {
		in := input(t, amt(10000, usd), ves, "40") // SentToday and SentMonth left zero
		q := mustQuote(t, mustSet(t, limits), in)
		wantAmount(t, "left", q.Applied[0].Amount, amt(90000, usd))
	})
	t.Run("OKOtherUserType", func(t *testing.T) {
		agentsOnly := limits
		agentsOnly.Scope.UserType = cambista.UserTypeAgent
		if _, err := quote(t, 10000, 95000, 0, agentsOnly); err != nil {
			t.Fatal(err)
		}
	})
	errTests := []struct {
		name         string
		today, month int64
		msgID        string
		limit, left  money.Amount
		en, es       string
	}{
		{"ErrDaily", 95000, 95000, "rules_limit_daily", amt(100000, usd), amt(5000, usd),
			"Sending 100.00 USD would go over your daily limit of 1,000.00 USD: you can still send 50.00 USD today.",
			"Enviar 100,00 USD superaría su límite diario de 1.000,00 USD: hoy todavía puede enviar 50,00 USD."},
		{"ErrMonthly", 0, 499000, "rules_limit_monthly", amt(500000, usd), amt(1000, usd),
			"Sending 100.00 USD would go over your monthly limit of 5,000.00 USD: you can still send 10.00 USD this month.",
			"Enviar 100,00 USD superaría su límite mensual de 5.000,00 USD: este mes todavía puede enviar 10,00 USD."},
		{"ErrLeftNeverNegative", 120000, 120000, "rules_limit_daily", amt(100000, usd), amt(0, usd),
			"Sending 100.00 USD would go over your daily limit of 1,000.00 USD: you can still send 0.00 USD today.",
			"Enviar 100,00 USD superaría su límite diario de 1.000,00 USD: hoy todavía puede enviar 0,00 USD."},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := quote(t, 10000, tt.today, tt.month, limits)
			e := wantErr(t, err, cambista.EINVALID, tt.msgID)
			if e.Message.Data["Limit"] != tt.limit || e.Message.Data["Left"] != tt.left || e.Message.Data["Amount"] != amt(10000, usd) {
				t.Errorf("data = %v, want Limit %v, Left %v", e.Message.Data, tt.limit, tt.left)
			}
			if got := i18n.T(i18n.EN, e.Message); got != tt.en {
				t.Errorf("EN:\n got %s\nwant %s", got, tt.en)
			}
			if got := i18n.T(i18n.ES, e.Message); got != tt.es {
				t.Errorf("ES:\n got %s\nwant %s", got, tt.es)
			}
		})
	}
	t.Run("ErrSecondLimit", func(t *testing.T) {
		strict := Rule{ID: 10, Name: "Strict", Kind: Limit, Scope: Scope{FromCurrency: "USD"},
			Effect: Effect{Daily: dec("150")}}
		_, err := quote(t, 10000, 6000, 6000, limits, strict)
		e := wantErr(t, err, cambista.EINVALID, "rules_limit_daily")
		wantAmount(t, "Left", e.Message.Data["Left"].(money.Amount), amt(9000, usd))
	})
}

func TestQuoteErrors(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
		in    func(*Input)
		code  string
		msgID string
	}{
		{"ErrAmountZero", nil, func(in *Input) { in.Amount = amt(0, usd) }, cambista.EINVALID, "amount_positive"},
		{"ErrAmountNegative", nil, func(in *Input) { in.Amount = amt(-100, usd) }, cambista.EINVALID, "amount_positive"},
		{"ErrNoRate", nil, func(in *Input) { in.BaseRate = money.Rate{} }, cambista.EINVALID, "no_rate"},
		{"ErrCommissionAboveSend", []Rule{{Name: "Fee", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
			Effect: Effect{Fixed: dec("5.00")}}}, func(in *Input) { in.Amount = amt(300, usd) }, cambista.EINVALID, "rules_amount_too_small"},
		{"ErrCommissionIsSend", []Rule{commissionRule(1, "100")}, nil, cambista.EINVALID, "rules_amount_too_small"},
		// 0.01 USD × 40 = 0.4 CLP rounds to nothing.
		{"ErrReceiveZero", nil, func(in *Input) { in.Amount, in.To = amt(1, usd), clp }, cambista.EINVALID, "rules_amount_too_small"},
		{"ErrOverflow", nil, func(in *Input) { in.Amount = amt(math.MaxInt64/2, usd) }, cambista.EINVALID, "amount_overflow"},
		{"ErrFormulaNegative", []Rule{{Name: "Neg", Kind: Commission, Effect: Effect{Formula: "0 - amount"}}}, nil,
			cambista.EINVALID, "rules_formula_negative"},
		// NewSet cannot know that USD has 2 decimals; Quote refuses the rule.
		{"ErrRuleAmountInexact", []Rule{{Name: "Odd", Kind: Commission, Scope: Scope{FromCurrency: "USD"},
			Effect: Effect{Fixed: dec("0.001")}}}, nil, cambista.EINVALID, "rules_bad_amount"},
		{"ErrSentOtherCurrency", nil, func(in *Input) { in.SentToday = amt(5, ves) }, cambista.EINTERNAL, "internal"},
		{"ErrNoTime", nil, func(in *Input) { in.At = time.Time{} }, cambista.EINTERNAL, "internal"},
		{"ErrBadCurrency", nil, func(in *Input) { in.To = money.Currency{Code: "ves"} }, cambista.EINTERNAL, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(t, amt(10000, usd), ves, "40")
			if tt.in != nil {
				tt.in(&in)
			}
			q, err := mustSet(t, tt.rules...).Quote(in)
			if q != nil {
				t.Errorf("got a quote %+v with the error", q)
			}
			wantErr(t, err, tt.code, tt.msgID)
		})
	}
}

func TestCELRuntime(t *testing.T) {
	const ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
	runaway := ten + ".map(a, " + ten + ".map(b, " + ten + ".map(c, " + ten + ".map(d, a * b * c * d)))).size() > 0"
	tests := []struct {
		name, condition, formula, inError string
	}{
		{"ErrCostLimit", runaway, "", "cost limit exceeded"},
		{"ErrDivisionByZero", "", "amount / (hour - 15)", "division by zero"},
		{"ErrIntOverflow", "", "amount * 9223372036854775807", "overflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Rule{ID: 12, Version: 3, Name: "Broken", Kind: Commission, Condition: tt.condition,
				Effect: Effect{Formula: tt.formula}}
			if err := Validate(r, currencies); err != nil {
				t.Fatalf("Validate: %v (it type-checks; only running it fails)", err)
			}
			_, err := mustSet(t, r).Quote(input(t, amt(10000, usd), ves, "40"))
			e := wantErr(t, err, cambista.EINVALID, "rules_cel_runtime")
			if e.Message.Data["ID"] != int64(12) || e.Message.Data["Name"] != "Broken" {
				t.Errorf("message data %v does not name the rule", e.Message.Data)
			}
			if msg := e.Message.Data["Error"].(string); !strings.Contains(msg, tt.inError) {
				t.Errorf("Error = %q, want it to mention %q", msg, tt.inError)
			}
		})
	}
	t.Run("ErrCancelled", func(t *testing.T) {
		// 110 comprehension steps, far below the cost limit: only the
		// cancelled context stops it.
		r := Rule{ID: 1, Name: "Loops", Kind: Commission, Effect: Effect{Percent: dec("1")},
			Condition: ten + ".map(a, " + ten + ".map(b, a + b)).size() == 10"}
		s := mustSet(t, r)
		in := input(t, amt(10000, usd), ves, "40")
		if q, err := s.QuoteContext(t.Context(), in); err != nil || len(q.Applied) != 1 {
			t.Fatalf("QuoteContext = %+v, %v; want the rule applied", q, err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := s.QuoteContext(ctx, in)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestSimulate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		_, in := workedExample(t)
		q, err := Simulate([]Rule{commissionRule(0, "3")}, in)
		if err != nil {
			t.Fatal(err)
		}
		wantAmount(t, "Commission", q.Commission, amt(300, usd))
		wantAmount(t, "Receive", q.Receive, amt(388000, ves))
	})
	t.Run("ErrInvalidDraft", func(t *testing.T) {
		_, in := workedExample(t)
		bad := commissionRule(0, "3")
		bad.Condition = "amount >"
		_, err := Simulate([]Rule{bad}, in)
		wantErr(t, err, cambista.EINVALID, "rules_cel_error")
	})
}

// TestQuoteJSON: the app stores the whole quote to explain it later.
func TestQuoteJSON(t *testing.T) {
	_, in := workedExample(t)
	s := mustSet(t, append(workedRules(), Rule{ID: 3, Name: "Spread", Kind: Spread, Effect: Effect{Percent: dec("1")}},
		Rule{ID: 4, Name: "Promo", Kind: Bonus, Effect: Effect{Amount: dec("2"), Currency: "USD", To: ToAgent}})...)
	q := mustQuote(t, s, in)
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var back Quote
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(&back)
	if string(b) != string(b2) {
		t.Errorf("round trip changed the quote:\n%s\n%s", b, b2)
	}
	if back.Receive != q.Receive || !back.Rate.Equal(q.Rate) || len(back.Applied) != 4 || back.Bonuses[0] != q.Bonuses[0] {
		t.Errorf("round trip = %+v, want %+v", back, q)
	}
}

// TestConcurrent quotes from one Set at once, for the race detector.
func TestConcurrent(t *testing.T) {
	r := commissionRule(1, "3")
	r.Condition = `from_country == "CO" && amount > 100`
	f := Rule{ID: 2, Name: "Formula", Priority: -1, Kind: Commission, Effect: Effect{Formula: "amount / 50"}}
	s := mustSet(t, r, f)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			in := input(t, amt(int64(1000+i), usd), ves, "40")
			if i%2 == 1 {
				in.FromCountry = "VE"
			}
			q, err := s.Quote(in)
			if err != nil {
				t.Error(err)
				return
			}
			want := amt(int64(1000+i)/50, usd)
			if i%2 == 0 {
				want, _ = money.MulDecimal(in.Amount, dec("0.03"))
			}
			if q.Commission != want {
				t.Errorf("quote %d: commission %v, want %v", i, q.Commission, want)
			}
		})
	}
	wg.Wait()
}
