package rules

import "github.com/cambista/cambista"

// Explain says in plain words, one message per line, how q was reached: the
// base rate and its ID, the limits checked, the commission and the agent's
// share of it, the spread and the resulting rate, the net amount converted,
// what the beneficiary receives, and each bonus. Amounts are kept as
// money.Amount in the messages' data so that they are written the reader's
// way; rates and percentages are canonical decimal text.
func Explain(q *Quote) []cambista.Message {
	from, to := q.Send.Currency.Code, q.Receive.Currency.Code
	out := []cambista.Message{cambista.MsgExplainRate.Msg(
		"Rate", q.BaseRate, "From", from, "To", to, "RateID", q.RateID)}
	var spread, bonuses []Applied
	commission := false
	for _, a := range q.Applied {
		rule := []any{"Name", a.Name, "Version", a.Version, "Amount", a.Amount}
		switch a.Kind {
		case Limit:
			def := cambista.MsgExplainLimitDaily
			if a.Basis == BasisMonthly {
				def = cambista.MsgExplainLimitMonthly
			}
			out = append(out, def.Msg(append(rule, "Limit", a.Limit)...))
		case Commission:
			commission = true
			out = append(out, commissionLine(a, rule))
		case AgentShare:
			if !commission {
				out = append(out, cambista.MsgExplainNoCommission.Msg("Amount", q.Commission))
				commission = true
			}
			out = append(out, cambista.MsgExplainAgentShare.Msg(append(rule, "Percent", a.Percent.Normalize())...))
		case Spread:
			spread = append(spread, a)
		case Bonus:
			bonuses = append(bonuses, a)
		}
	}
	if !commission {
		out = append(out, cambista.MsgExplainNoCommission.Msg("Amount", q.Commission))
	}
	for _, a := range spread {
		out = append(out, cambista.MsgExplainSpread.Msg("Name", a.Name, "Version", a.Version,
			"Percent", a.Percent.Normalize(), "Rate", a.Rate, "From", from, "To", to))
	}
	out = append(out,
		cambista.MsgExplainNet.Msg("Amount", q.Net, "Send", q.Send, "Commission", q.Commission),
		cambista.MsgExplainReceive.Msg("Amount", q.Receive, "Rate", q.Rate, "From", from, "To", to),
	)
	for _, a := range bonuses {
		def := cambista.MsgExplainBonusClient
		if a.To == ToAgent {
			def = cambista.MsgExplainBonusAgent
		}
		out = append(out, def.Msg("Name", a.Name, "Version", a.Version, "Amount", a.Amount))
	}
	return out
}

func commissionLine(a Applied, rule []any) cambista.Message {
	switch a.Basis {
	case BasisFormula:
		return cambista.MsgExplainCommissionCEL.Msg(rule...)
	case BasisMin:
		return cambista.MsgExplainCommissionMin.Msg(rule...)
	case BasisMax:
		return cambista.MsgExplainCommissionMax.Msg(rule...)
	}
	def, defFixed := cambista.MsgExplainCommission, cambista.MsgExplainCommissionFixed
	if a.Basis == BasisTier {
		def, defFixed = cambista.MsgExplainCommissionTier, cambista.MsgExplainCommissionTierF
	}
	if a.Fixed.IsZero() {
		return def.Msg(append(rule, "Percent", a.Percent.Normalize())...)
	}
	return defFixed.Msg(append(rule, "Percent", a.Percent.Normalize(), "Fixed", a.Fixed)...)
}
