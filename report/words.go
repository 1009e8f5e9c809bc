package report

import (
	"embed"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

//go:embed locales
var locales embed.FS

// words are the reports' own, with their Spanish in locales/es.json.
var words = i18n.Load(&cambista.Catalog{Spanish: locales})

// Why Write refuses a report.
var (
	MsgBadKind      = words.Text("report_bad_kind", "Unknown report {{printf \"%q\" .Input}}: use statement, transactions, batches, commissions or audit.")
	MsgBadFormat    = words.Text("report_bad_format", "Unknown format {{printf \"%q\" .Input}}: use csv, xlsx or pdf.")
	MsgNeedsPeriod  = words.Text("report_needs_period", "Choose the report's period: a start date and an end date.")
	MsgNeedsAccount = words.Text("report_needs_account", "A statement needs the account's owner and currency.")
	MsgTooLarge     = words.Text("report_too_large", "This report has more than {{.Max}} rows, too many for {{.Format}}: download it as CSV, or choose a shorter period.")

	// The sentences of a report's heading, footer and total rows.
	msgStatementTitle = words.Text("report_statement_title", "Account statement: {{.User}}, {{.Currency}}")
	msgPeriod         = words.Text("report_period", "Period: {{.From}} to {{.To}}, both days included")
	msgGenerated      = words.Text("report_generated", "Generated {{.At}}")
	msgPage           = words.Text("report_page", "Page {{.Page}} of {{.Pages}}")
	msgCompleted      = words.Text("report_completed", "Completed transfers {{.Pair}}: {{.Count}}")
	msgEvents         = words.Text("report_events", "Events: {{.Count}}")

	// A report's words: titles, column headers, the names of total rows.
	lblStatement    = words.Text("report_title_statement", "Account statement")
	lblTransactions = words.Text("report_title_transactions", "Transfers")
	lblBatches      = words.Text("report_title_batches", "Batch summaries")
	lblCommissions  = words.Text("report_title_commissions", "Agent commissions")
	lblAudit        = words.Text("report_title_audit", "Audit log")

	lblTime        = words.Text("report_time", "Time (UTC)")
	lblDescription = words.Text("report_description", "Description")
	lblReference   = words.Text("report_reference", "Reference")
	lblCurrency    = words.Text("report_currency", "Currency")
	lblAmount      = words.Text("report_amount", "Amount")
	lblBalance     = words.Text("report_balance", "Balance")
	lblOpening     = words.Text("report_opening", "Opening balance")
	lblClosing     = words.Text("report_closing", "Closing balance")
	lblCredits     = words.Text("report_credits", "Total credits")
	lblDebits      = words.Text("report_debits", "Total debits")
	lblTotal       = words.Text("report_total", "Total")
	lblTotals      = words.Text("report_totals", "Totals")
	lblKind        = words.Text("report_kind", "Type")
	msgKindTotal   = words.Text("report_kind_total", "Total {{.Kind}}")

	lblID              = words.Text("report_id", "ID")
	lblCreated         = words.Text("report_created", "Created (UTC)")
	lblClient          = words.Text("report_client", "Client")
	lblStatus          = words.Text("report_status", "Status")
	lblSendCurrency    = words.Text("report_send_currency", "Send currency")
	lblSend            = words.Text("report_send", "Sent")
	lblCommission      = words.Text("report_commission", "Commission")
	lblAgent           = words.Text("report_agent", "Agent")
	lblAgentShare      = words.Text("report_agent_share", "Agent share")
	lblReceiveCurrency = words.Text("report_receive_currency", "Payout currency")
	lblReceive         = words.Text("report_receive", "Payout")
	lblCashier         = words.Text("report_cashier", "Cashier")
	lblBatch           = words.Text("report_batch", "Batch")

	lblBase             = words.Text("report_base", "Base")
	lblQuote            = words.Text("report_quote", "Payout currency")
	lblOpened           = words.Text("report_opened", "Opened (UTC)")
	lblClosed           = words.Text("report_closed", "Closed (UTC)")
	lblCapital          = words.Text("report_capital", "Capital")
	lblCostRate         = words.Text("report_cost_rate", "Cost rate")
	lblTransfers        = words.Text("report_transfers", "Transfers")
	lblPaidOut          = words.Text("report_paid_out", "Paid out")
	lblCost             = words.Text("report_cost", "Cost")
	lblCollected        = words.Text("report_collected", "Collected")
	lblGrossProfit      = words.Text("report_gross_profit", "Gross profit")
	lblAgentCommissions = words.Text("report_agent_commissions", "Agent commissions")
	lblNetProfit        = words.Text("report_net_profit", "Net profit")
	lblReturned         = words.Text("report_returned", "Returned")
	lblRefunded         = words.Text("report_refunded", "Refunded")
	lblAdjustments      = words.Text("report_adjustments", "Adjustments after closing")

	lblName = words.Text("report_name", "Name")

	lblSeq    = words.Text("report_seq", "Seq")
	lblActor  = words.Text("report_actor", "Actor")
	lblAction = words.Text("report_action", "Action")
	lblEntity = words.Text("report_entity", "Entity")
	lblKey    = words.Text("report_key", "Idempotency key")
	lblHash   = words.Text("report_hash", "Hash")
)
