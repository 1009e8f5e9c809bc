package cambista

// The line of a direct message the outbox worker sends with an entity's
// card, one per event the person is told about. The card below it carries
// the figures and any reason, so the line only says what happened.
var (
	MsgDMAccountDecided    = Messages.Text("dm_account_decided", "A superuser reviewed your account request #{{.ID}}.")
	MsgDMAgentDecided      = Messages.Text("dm_agent_decided", "A superuser reviewed your request to become an agent (#{{.ID}}).")
	MsgDMAccountFrozen     = Messages.Text("dm_account_frozen", "Your account #{{.ID}} was frozen: it keeps its balance but takes no withdrawals until it is unfrozen.")
	MsgDMAccountUnfrozen   = Messages.Text("dm_account_unfrozen", "Your account #{{.ID}} was unfrozen.")
	MsgDMTransferTaken     = Messages.Text("dm_transfer_taken", "A cashier took your transfer #{{.ID}} and is paying it.")
	MsgDMTransferCompleted = Messages.Text("dm_transfer_completed", "Your transfer #{{.ID}} was completed.")
	MsgDMTransferRejected  = Messages.Text("dm_transfer_rejected", "Your transfer #{{.ID}} was rejected.")
	MsgDMTransferCancelled = Messages.Text("dm_transfer_cancelled", "Your transfer #{{.ID}} was cancelled.")
	MsgDMTransferExpired   = Messages.Text("dm_transfer_expired", "Your transfer #{{.ID}} expired: no cashier took it in time. Ask for a new quote to send again.")
	MsgDMTransferReleased  = Messages.Text("dm_transfer_released", "Your transfer #{{.ID}} is waiting for a cashier again.")
	MsgDMWithdrawalDecided = Messages.Text("dm_withdrawal_decided", "A superuser reviewed your withdrawal #{{.ID}}.")
	MsgDMBatchClosed       = Messages.Text("dm_batch_closed", "Your batch #{{.ID}} was closed.")
)
