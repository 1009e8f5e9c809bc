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
