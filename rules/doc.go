// Package rules is cambista's rules engine: it decides the commission a
// client pays, the agent's share of it, bonuses, rate spreads and sending
// limits, and explains every figure it produces. It is pure: no I/O, no
// clock (the time of the quote is an input), no floating point.
//
// A Rule is one version of a business rule: an ID and Version (the store
// keeps versions and their status), a Name, a Priority, a Scope saying
// which quotes it may apply to, a Kind and an Effect, and an optional CEL
// Condition. Rules are stored as JSON (see the examples below). Validate
// checks a rule before it is saved; NewSet compiles a set of rules once;
// Set.Quote applies them; Explain turns a Quote into lines a person reads;
// Simulate quotes against draft rules without saving anything.
//
// # Matching
//
// A rule matches a quote when every Scope field it sets matches (an empty
// or zero field matches anything):
//   - from_country, to_country, user_type, from_currency, to_currency are
//     equal to the quote's;
//   - the quote's time is in [valid_from, valid_until): the end is
//     excluded so one rule can end at the instant its successor starts;
//   - the send amount, in major units of the send currency, is in
//     [min_amount, max_amount], both ends included. A range requires
//     from_currency, so the amount is never compared across currencies;
//   - and the Condition, if any, is true. It is evaluated last, only for
//     rules whose scope matches.
//
// # Priorities
//
// Commission, agent share and spread each have one answer, so among the
// matching rules of each kind only the first applies: the highest
// Priority, then the lowest ID (the older rule), then the order given to
// NewSet (unsaved drafts all have ID 0). A general rule and its exceptions
// can therefore live side by side: give the exception a higher priority.
// Bonuses add up, so every matching bonus applies; a bonus to the agent
// only when the client has a referring agent. Limits all hold, so every
// matching limit is checked. No matching commission rule means no
// commission. A set holds one version of each rule: NewSet refuses two
// rules with the same non-zero ID.
//
// # Rounding
//
// Every figure is rounded once, to its currency's minor unit, with that
// currency's rounding mode (half-even unless configured otherwise), so
// what a person is shown is exactly what is posted:
//
//	commission = send × percent/100 + fixed        (fixed is exact; the product is rounded once)
//	             then raised to min / lowered to max
//	agent share = commission × share/100            (rounded once)
//	net         = send − commission                 (exact)
//	rate        = base rate × (1 − spread/100)      (rounded half-even to 12 decimals)
//	receive     = net × rate, in the payout currency (rounded once)
//
// The send amount includes the commission: the client pays send and the
// beneficiary receives receive. A commission that would take the whole
// amount (net zero or less), or a receive amount that rounds to zero, is
// refused (EINVALID) rather than quoted. A rate after a spread keeps 12
// decimals: enough for every pair traded here, and fixed so that the same
// inputs always store the same rate; without a spread rule the base rate
// is used as is. Amounts in rules are written in major units ("1.50") and
// must be exact in their currency: a rule never asks for a rounding of its
// own figures.
//
// Worked example (the design's): 100.00 USD sent to VES at 40 VES per USD,
// a 3 % commission and an agent share of 33.34 %: commission 3.00 USD,
// agent share 1.00 USD (1.0002 rounded), net 97.00 USD, receive
// 3,880.00 VES.
//
// # Limits
//
// A limit rule caps what one user sends, in the send currency: daily per
// UTC day and monthly per calendar month (UTC), both in major units of
// from_currency, which a limit requires. The caller passes what the user
// already sent (Input.SentToday, Input.SentMonth); the quote is refused
// with EINVALID when send + sent today > daily or send + sent this month >
// monthly, and the message says the limit and what is still left (never
// below zero). Limits count what the client pays, commission included,
// because that is the money that moves.
//
// # CEL
//
// For the rare rule that scope and fixed effects cannot express, a
// Condition (a CEL expression of type bool) narrows when a rule applies,
// and a commission Formula (a CEL expression of type int) computes the
// commission in minor units of the send currency; the caps still apply to
// it. Both are type-checked when the rule is validated and compiled once
// per Set; a rule whose CEL does not compile or has the wrong type is
// refused with the compiler's message. A Formula must be int: CEL doubles
// are binary floating point and never touch money, so write percentages as
// integer arithmetic on minor units (amount * 15 / 1000 for 1.5 %, which
// truncates; add 500 before dividing by 1000 to round half up).
//
// The variables, all in UTC and minor units where they are amounts:
//
//	amount        int     the send amount in minor units (10000 for 100.00 USD)
//	amount_major  string  the send amount in major units, "100.00"
//	from_currency string  the send currency code, "USD"
//	to_currency   string  the payout currency code, "VES"
//	from_country  string  the sender's country code, "CO"
//	to_country    string  the beneficiary's country code, "VE"
//	user_type     string  "client" or "agent"
//	has_referrer  bool    whether the client has a referring agent
//	weekday       int     day of the week, 0 = Sunday … 6 = Saturday (UTC)
//	hour          int     hour of the day, 0 … 23 (UTC)
//	sent_today    int     what the user already sent today, minor units of the send currency
//	sent_month    int     what the user already sent this month, minor units of the send currency
//
// An evaluation may cost at most 10,000 units (a comparison costs about 1,
// a step of a list comprehension a few), so a runaway expression fails the
// quote with EINVALID naming the rule instead of stalling it; a runtime
// error (an overflow, a division by zero) fails it the same way. Set.QuoteContext
// also stops a comprehension when its context is cancelled.
//
// # Examples
//
// A commission of 3 % on USD to VES, and an exception for large amounts,
// 2 % + 1.00 USD, at most 50.00 USD:
//
//	{"id": 1, "version": 2, "name": "Standard USD→VES", "priority": 10, "kind": "commission",
//	 "scope": {"from_currency": "USD", "to_currency": "VES"},
//	 "effect": {"percent": "3"}}
//	{"id": 2, "version": 1, "name": "Large USD→VES", "priority": 20, "kind": "commission",
//	 "scope": {"from_currency": "USD", "to_currency": "VES", "min_amount": "1000"},
//	 "effect": {"percent": "2", "fixed": "1.00", "max": "50.00"}}
//
// A commission by tiers (the first tier whose up_to is at least the amount
// applies; the last tier is open-ended, up_to 0):
//
//	{"id": 3, "version": 1, "name": "COP tiers", "priority": 10, "kind": "commission",
//	 "scope": {"from_currency": "COP"},
//	 "effect": {"tiers": [{"up_to": "500000", "percent": "4"},
//	                      {"up_to": "2000000", "percent": "3", "fixed": "2000"},
//	                      {"percent": "2"}]}}
//
// The referring agent's share of the commission:
//
//	{"id": 4, "version": 1, "name": "Agent third", "priority": 0, "kind": "agent_share",
//	 "effect": {"percent": "33.34"}}
//
// A bonus of 5.00 USDT to the referring agent for each transfer to
// Venezuela in March 2025 (bonus currencies other than the send and payout
// currencies are found through Input.Currencies):
//
//	{"id": 5, "version": 1, "name": "March promo", "priority": 0, "kind": "bonus",
//	 "scope": {"to_country": "VE", "valid_from": "2025-03-01T00:00:00Z", "valid_until": "2025-04-01T00:00:00Z"},
//	 "effect": {"amount": "5", "currency": "USDT", "to": "agent"}}
//
// A spread of 1.5 % on the rate (positive is a worse rate for the client;
// −50 to 50):
//
//	{"id": 6, "version": 1, "name": "VES spread", "priority": 0, "kind": "spread",
//	 "scope": {"to_currency": "VES"},
//	 "effect": {"percent": "1.5"}}
//
// Limits of 1,000.00 USD a day and 5,000.00 USD a month for clients:
//
//	{"id": 7, "version": 1, "name": "Client USD limits", "priority": 0, "kind": "limit",
//	 "scope": {"user_type": "client", "from_currency": "USD"},
//	 "effect": {"daily": "1000", "monthly": "5000"}}
//
// CEL: no commission on weekend transfers from Colombia above 100.00, and
// a commission of 1 % plus 0.50 rounded half up, at least 2.00:
//
//	{"id": 8, "version": 1, "name": "CO weekends", "priority": 30, "kind": "commission",
//	 "scope": {"from_currency": "COP"},
//	 "condition": "from_country == \"CO\" && amount > 10000 && (weekday == 0 || weekday == 6)",
//	 "effect": {}}
//	{"id": 9, "version": 1, "name": "USD formula", "priority": 10, "kind": "commission",
//	 "scope": {"from_currency": "USD"},
//	 "effect": {"formula": "(amount + 50) / 100 + 50", "min": "2.00"}}
package rules
