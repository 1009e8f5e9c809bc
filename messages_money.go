package cambista

// Messages about money: amounts as people type them, and the ledger's
// refusals.
var (
	MsgAmountEmpty     = Messages.Text("amount_empty", "Write an amount, for example {{.Example}}.")
	MsgAmountSyntax    = Messages.Text("amount_syntax", "{{printf \"%q\" .Input}} is not an amount. Write it like {{.Example}}.")
	MsgAmountAmbiguous = Messages.Text("amount_ambiguous", "{{printf \"%q\" .Input}} is ambiguous: write it without thousands separators, like {{.Example}}.")
	MsgAmountDecimals  = Messages.Text("amount_decimals", "{{.Currency}} allows at most {{.Exponent}} decimals; write it like {{.Example}}.")
	MsgAmountPositive  = Messages.Text("amount_positive", "The amount must be greater than zero.")
	MsgAmountCurrency  = Messages.Text("amount_currency", "{{printf \"%q\" .Found}} is not {{.Currency}}; write the amount in {{.Currency}}.")
	MsgAmountTooLarge  = Messages.Text("amount_too_large", "{{printf \"%q\" .Input}} is too large.")
	MsgAmountOverflow  = Messages.Text("amount_overflow", "The result is too large to compute exactly.")

	MsgUnbalanced   = Messages.Text("unbalanced_entry", "The journal entry does not balance in {{.Currency}} (off by {{.Minor}} minor units).")
	MsgBadPosting   = Messages.Text("bad_posting", "Invalid posting on {{printf \"%q\" .Account}}: {{.Reason}}.")
	MsgInsufficient = Messages.Text("insufficient", "Not enough funds in {{.Account}}: {{.Available}} available, {{.Needed}} needed.")
)
