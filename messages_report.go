package cambista

// Messages of the downloadable reports (package report): the sentences of a
// report's heading, footer and total rows, and why a report was refused.
var (
	MsgReportStatementTitle = Messages.Text("report_statement_title", "Account statement: {{.User}}, {{.Currency}}")
	MsgReportPeriod         = Messages.Text("report_period", "Period: {{.From}} to {{.To}} (end excluded)")
	MsgReportGenerated      = Messages.Text("report_generated", "Generated {{.At}}")
	MsgReportPage           = Messages.Text("report_page", "Page {{.Page}} of {{.Pages}}")
	MsgReportCompleted      = Messages.Text("report_completed", "Completed transfers {{.Pair}}: {{.Count}}")
	MsgReportEvents         = Messages.Text("report_events", "Events: {{.Count}}")

	MsgReportBadKind      = Messages.Text("report_bad_kind", "Unknown report {{printf \"%q\" .Input}}: use statement, transactions, batches, commissions or audit.")
	MsgReportBadFormat    = Messages.Text("report_bad_format", "Unknown format {{printf \"%q\" .Input}}: use csv, xlsx or pdf.")
	MsgReportNeedsPeriod  = Messages.Text("report_needs_period", "Choose the report's period: a start date and an end date.")
	MsgReportNeedsAccount = Messages.Text("report_needs_account", "A statement needs the account's owner and currency.")
	MsgReportTooLarge     = Messages.Text("report_too_large", "This report has more than {{.Max}} rows, too many for {{.Format}}: download it as CSV, or choose a shorter period.")
)
