package cambista

// Messages about deposits into accounts, paying transfers from a balance,
// and refunds and reversals.
var (
	MsgDepositMethod         = Messages.Text("deposit_method", "Say how you paid (at most 100 characters), for example \"bank transfer from Banesco\".")
	MsgDepositOwn            = Messages.Text("deposit_own", "You cannot confirm your own deposit: another cashier or a superuser must check that the money arrived.")
	MsgDepositNeedsSuperuser = Messages.Text("deposit_needs_superuser", "Deposit #{{.ID}} is {{.Amount}}: a deposit above {{.Limit}} needs a superuser's confirmation.")

	MsgDMDepositDeclared = Messages.Text("dm_deposit_declared", "We received your deposit #{{.ID}}: staff will confirm it once they see the money arrive.")
	MsgDMDepositDecided  = Messages.Text("dm_deposit_decided", "Staff reviewed your deposit #{{.ID}}.")
)

// Refunds and reversals.
var (
	MsgRefundNotCompleted = Messages.Text("refund_not_completed", "Transfer #{{.ID}} is {{.Status}}: only a completed transfer can be refunded or reversed.")
	MsgRefundTooMuch      = Messages.Text("refund_too_much", "At most {{.Left}} of transfer #{{.ID}} can still be refunded; {{.Amount}} asked.")
	MsgRefundSecond       = Messages.Text("refund_second", "Refund #{{.ID}} is {{.Amount}}, above {{.Limit}}: a superuser other than the one who asked for it must approve it.")

	MsgDMTransferReversed = Messages.Text("dm_transfer_reversed", "Your transfer #{{.ID}} was reversed: what you paid is given back.")
	MsgDMRefundPosted     = Messages.Text("dm_refund_posted", "Refund #{{.ID}} of one of your transfers was made.")
)
