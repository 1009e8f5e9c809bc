package cambista

// Messages of the downloadable reports (package report): the sentences of a
// report's heading, footer and total rows, and why a report was refused.
var (
	MsgReportStatementTitle = Text("report_statement_title", "Account statement: {{.User}}, {{.Currency}}")
	MsgReportPeriod         = Text("report_period", "Period: {{.From}} to {{.To}} (end excluded)")
	MsgReportGenerated      = Text("report_generated", "Generated {{.At}}")
	MsgReportPage           = Text("report_page", "Page {{.Page}} of {{.Pages}}")
	MsgReportCompleted      = Text("report_completed", "Completed transfers {{.Pair}}: {{.Count}}")
	MsgReportEvents         = Text("report_events", "Events: {{.Count}}")

	MsgReportBadKind      = Text("report_bad_kind", "Unknown report {{printf \"%q\" .Input}}: use statement, transactions, batches, commissions or audit.")
	MsgReportBadFormat    = Text("report_bad_format", "Unknown format {{printf \"%q\" .Input}}: use csv, xlsx or pdf.")
	MsgReportNeedsPeriod  = Text("report_needs_period", "Choose the report's period: a start date and an end date.")
	MsgReportNeedsAccount = Text("report_needs_account", "A statement needs the account's owner and currency.")
	MsgReportTooLarge     = Text("report_too_large", "This report has more than {{.Max}} rows, too many for {{.Format}}: download it as CSV, or choose a shorter period.")
)
