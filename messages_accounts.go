package cambista

// Messages about accounts and withdrawals, and the decisions on their
// requests.
var (
	MsgNoAccount        = Messages.Text("no_account", "You have no {{.Currency}} account. Request one with /account request.")
	MsgAccountNotActive = Messages.Text("account_not_active", "Your {{.Currency}} account is {{.Status}}: it must be approved (and not frozen) first.")
	MsgAvailable        = Messages.Text("available_short", "Not enough available in {{.Currency}}: {{.Available}} available (balance {{.Balance}}, {{.Held}} held by pending withdrawals and transfers), {{.Needed}} asked.")

	MsgFourEyes       = Messages.Text("four_eyes", "You cannot decide your own request: another superuser must approve or reject it.")
	MsgReasonRequired = Messages.Text("reason_required", "Write a reason for the rejection (at most 500 characters).")
)
