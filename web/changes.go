package web

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// An audit event keeps its entity before and after as JSON. The panel
// shows what changed, field by field, in the reader's words.

// change is one field of an audit event: its label, and its value before
// and after, as the reader writes them ("" where it had none).
type change struct {
	Field, Before, After string
}

// skipped are the fields that say nothing a reader needs: every change
// moves UpdatedAt, and a quote's detail is its explanation, shown on the
// transfer's page.
var skipped = map[string]bool{"UpdatedAt": true, "Detail": true}

// Changes lists the fields an event changed; for a creation or a
// removal, every field with a value.
func (v *view) Changes(before, after json.RawMessage) []change {
	b, a := map[string]string{}, map[string]string{}
	v.flatten(decodeJSON(before), "", b)
	v.flatten(decodeJSON(after), "", a)
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []change
	for _, k := range keys {
		if b[k] == a[k] {
			continue
		}
		out = append(out, change{Field: v.fieldLabel(k), Before: b[k], After: a[k]})
	}
	return out
}

func decodeJSON(raw json.RawMessage) any {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var x any
	if d.Decode(&x) != nil {
		return nil
	}
	return x
}

// flatten writes the leaves of x under their dotted paths, each value as
// the reader reads it; empty values are left out.
func (v *view) flatten(x any, path string, out map[string]string) {
	field := path[strings.LastIndexByte(path, '.')+1:]
	if skipped[field] {
		return
	}
	switch x := x.(type) {
	case map[string]any:
		if a, ok := amountOf(x); ok {
			out[path] = v.Money(a)
			return
		}
		for k, sub := range x {
			v.flatten(sub, join(path, k), out)
		}
	case []any:
		for i, sub := range x {
			v.flatten(sub, join(path, strconv.Itoa(i+1)), out)
		}
	case string:
		if s := v.valueText(field, x); s != "" {
			out[path] = s
		}
	case json.Number:
		if field == "Roles" {
			n, _ := x.Int64()
			var names []string
			for _, r := range cambista.RoleSet(n).List() {
				names = append(names, v.Word(r))
			}
			out[path] = strings.Join(names, ", ")
			return
		}
		if x != "0" {
			out[path] = x.String()
		}
	case bool:
		out[path] = v.Msg(fieldNames[map[bool]string{true: "field.yes", false: "field.no"}[x]].Msg())
	}
}

// peopleIn returns the people an event's entity names (client, cashier,
// who decided…), so that the list of changes can name them.
func peopleIn(raws ...json.RawMessage) []cambista.UserID {
	var ids []cambista.UserID
	for _, raw := range raws {
		m, _ := decodeJSON(raw).(map[string]any)
		for k, x := range m {
			if s, ok := x.(string); ok && (strings.HasSuffix(k, "ID") || strings.HasSuffix(k, "By")) && cambista.ValidateUserID(cambista.UserID(s)) == nil {
				ids = append(ids, cambista.UserID(s))
			}
		}
	}
	return ids
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// amountOf reads an encoded money.Amount.
func amountOf(m map[string]any) (money.Amount, bool) {
	minor, ok1 := m["Minor"].(json.Number)
	c, ok2 := m["Currency"].(map[string]any)
	if !ok1 || !ok2 || len(m) != 2 {
		return money.Amount{}, false
	}
	n, err1 := minor.Int64()
	code, _ := c["Code"].(string)
	exp, err2 := c["Exponent"].(json.Number).Int64()
	if err1 != nil || err2 != nil {
		return money.Amount{}, false
	}
	return money.New(n, money.Currency{Code: code, Exponent: int(exp)}), true
}

// valueText shows a string: a time in the panel's format, a state or an
// enum value in the reader's words, anything else as it is.
func (v *view) valueText(field, s string) string {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	if n, ok := v.names[cambista.UserID(s)]; ok && (strings.HasSuffix(field, "ID") || strings.HasSuffix(field, "By")) {
		return n
	}
	if field == "Locale" || field == "Lang" {
		return map[string]string{"es": "Español", "en": "English"}[s]
	}
	return v.Word(s)
}

// fieldLabel names a dotted path in the reader's words: "Beneficiary ›
// Bank". A field without a label keeps its name.
func (v *view) fieldLabel(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if d, ok := fieldNames["field."+p]; ok {
			parts[i] = v.Msg(d.Msg())
		}
	}
	return strings.Join(parts, " › ")
}

// fieldNames are the labels of the fields audit events record, by
// "field." and the field's name in the JSON.
var fieldNames = define(map[string]string{
	"field.AccountID":        "Account",
	"field.AccountNumber":    "Account number",
	"field.AgentCommissions": "Agent commissions",
	"field.AgentID":          "Agent",
	"field.AgentShare":       "Agent's share",
	"field.Amount":           "Amount",
	"field.Bank":             "Bank",
	"field.Base":             "Base currency",
	"field.BatchID":          "Batch",
	"field.Beneficiary":      "Beneficiary",
	"field.Capital":          "Capital",
	"field.CashierID":        "Cashier",
	"field.ClientID":         "Client",
	"field.ClosedAt":         "Closed",
	"field.Code":             "Code",
	"field.Collected":        "Collected",
	"field.Commission":       "Commission",
	"field.Cost":             "Cost",
	"field.CostRate":         "Cost rate",
	"field.Country":          "Country",
	"field.CreatedAt":        "Created",
	"field.CreatedBy":        "Created by",
	"field.Currency":         "Currency",
	"field.DecidedBy":        "Decided by",
	"field.Definition":       "Definition",
	"field.DiscordName":      "Name on Discord",
	"field.DisplayName":      "Name given at registration",
	"field.DocumentID":       "Document",
	"field.Enabled":          "Enabled",
	"field.ExpiresAt":        "Expires",
	"field.Exponent":         "Decimals",
	"field.FromCountry":      "From country",
	"field.Frozen":           "Frozen",
	"field.GrossProfit":      "Gross profit",
	"field.ID":               "ID",
	"field.InviteCode":       "Invite code",
	"field.Key":              "Setting",
	"field.Locale":           "Language",
	"field.Name":             "Name",
	"field.NetProfit":        "Net profit",
	"field.OpenedAt":         "Opened",
	"field.PaidOut":          "Paid out",
	"field.Phone":            "Phone",
	"field.Priority":         "Priority",
	"field.ProofURL":         "Proof",
	"field.PublishedAt":      "Published",
	"field.Quote":            "Quote currency",
	"field.QuoteID":          "Quote",
	"field.Rate":             "Rate",
	"field.RateID":           "Rate",
	"field.Reason":           "Reason",
	"field.Receive":          "Beneficiary receives",
	"field.Reference":        "Reference",
	"field.ReferrerID":       "Referring agent",
	"field.RequestedBy":      "Requested by",
	"field.Returned":         "Capital returned",
	"field.Roles":            "Roles",
	"field.Rounding":         "Rounding",
	"field.RuleID":           "Rule",
	"field.Send":             "Sends",
	"field.SetBy":            "Set by",
	"field.Status":           "State",
	"field.Summary":          "Summary",
	"field.ToCountry":        "To country",
	"field.Transfers":        "Transfers",
	"field.Type":             "User type",
	"field.UserID":           "User",
	"field.UserType":         "User type",
	"field.ValidFrom":        "Valid from",
	"field.Value":            "Value",
	"field.Version":          "Version",
	"field.amount":           "Amount",
	"field.condition":        "Condition",
	"field.currency":         "Currency",
	"field.daily":            "Daily",
	"field.effect":           "Effect",
	"field.fixed":            "Fixed",
	"field.formula":          "Formula",
	"field.from_country":     "From country",
	"field.from_currency":    "From currency",
	"field.id":               "ID",
	"field.kind":             "Kind",
	"field.max":              "Maximum",
	"field.max_amount":       "Maximum amount",
	"field.min":              "Minimum",
	"field.min_amount":       "Minimum amount",
	"field.monthly":          "Monthly",
	"field.name":             "Name",
	"field.no":               "no",
	"field.percent":          "Percent",
	"field.priority":         "Priority",
	"field.scope":            "Scope",
	"field.tiers":            "Tiers",
	"field.to":               "To",
	"field.to_country":       "To country",
	"field.to_currency":      "To currency",
	"field.up_to":            "Up to",
	"field.user_type":        "User type",
	"field.valid_from":       "Valid from",
	"field.valid_until":      "Valid until",
	"field.version":          "Version",
	"field.yes":              "yes",
})
