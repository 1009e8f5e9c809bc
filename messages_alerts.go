package cambista

// Messages about liquidity and exposure alerts: what each rule saw, as the
// admin channel, the cashier's DM and the panel show it, and the errors of
// setting thresholds.
var (
	MsgAlertLowCapital = Messages.Text("alert_low_capital", "Batch #{{.ID}} ({{.Pair}}) has {{.Value}} available, below the minimum of {{.Limit}}.")
	MsgAlertQueueShort = Messages.Text("alert_queue_short", "Batch #{{.ID}} ({{.Pair}}) has {{.Value}} available, less than the {{.Limit}} that the pending transfers of its pair would pay out.")
	MsgAlertBatchAge   = Messages.Text("alert_batch_age", "Batch #{{.ID}} ({{.Pair}}) has been open for {{.Hours}} hours, longer than the limit of {{.Limit}} hours.")
	MsgAlertExposure   = Messages.Text("alert_exposure", "The open batches hold {{.Value}}, above the exposure limit of {{.Limit}}.")

	MsgDMAlertRaised = Messages.Text("dm_alert_raised", "Liquidity alert #{{.ID}} concerns one of your batches.")

	MsgAlertBadHours = Messages.Text("alert_bad_hours", "Invalid number of hours {{printf \"%q\" .Input}}: write a whole number of hours, for example 48, or leave it empty to turn the rule off.")
)

// Message says what the alert's rule saw, in words for people.
func (a *Alert) Message() Message {
	switch a.Rule {
	case AlertLowCapital:
		return MsgAlertLowCapital.Msg("ID", a.BatchID, "Pair", a.Pair, "Value", a.Value, "Limit", a.Limit)
	case AlertQueueShort:
		return MsgAlertQueueShort.Msg("ID", a.BatchID, "Pair", a.Pair, "Value", a.Value, "Limit", a.Limit)
	case AlertBatchAge:
		return MsgAlertBatchAge.Msg("ID", a.BatchID, "Pair", a.Pair, "Hours", int64(a.OpenFor.Hours()), "Limit", int64(a.MaxOpen.Hours()))
	}
	return MsgAlertExposure.Msg("Value", a.Value, "Limit", a.Limit)
}
