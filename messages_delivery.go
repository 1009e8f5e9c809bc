package cambista

// The line of a direct message the outbox worker sends with an entity's
// card, one per event the person is told about. The card below it carries
// the figures and any reason, so the line only says what happened.
var (
	MsgDMAccountDecided    = Text("dm_account_decided", "A superuser reviewed your account request #{{.ID}}.")
	MsgDMAccountFrozen     = Text("dm_account_frozen", "Your account #{{.ID}} was frozen: it keeps its balance but takes no withdrawals until it is unfrozen.")
	MsgDMAccountUnfrozen   = Text("dm_account_unfrozen", "Your account #{{.ID}} was unfrozen.")
	MsgDMTransferTaken     = Text("dm_transfer_taken", "A cashier took your transfer #{{.ID}} and is paying it.")
	MsgDMTransferCompleted = Text("dm_transfer_completed", "Your transfer #{{.ID}} was completed.")
	MsgDMTransferRejected  = Text("dm_transfer_rejected", "Your transfer #{{.ID}} was rejected.")
	MsgDMTransferCancelled = Text("dm_transfer_cancelled", "Your transfer #{{.ID}} was cancelled.")
	MsgDMTransferExpired   = Text("dm_transfer_expired", "Your transfer #{{.ID}} expired: no cashier took it in time. Ask for a new quote to send again.")
	MsgDMTransferReleased  = Text("dm_transfer_released", "Your transfer #{{.ID}} is waiting for a cashier again.")
	MsgDMWithdrawalDecided = Text("dm_withdrawal_decided", "A superuser reviewed your withdrawal #{{.ID}}.")
	MsgDMBatchClosed       = Text("dm_batch_closed", "Your batch #{{.ID}} was closed.")
)
