package cambista

// Messages about quotes and transfers.
var (
	MsgQuoteExpired  = Messages.Text("quote_expired", "This quote expired at {{.At}}. Ask for a new quote; rates may have changed.")
	MsgQuoteNotYours = Messages.Text("quote_not_yours", "Quote #{{.ID}} was made for someone else.")

	MsgBeneficiaryField  = Messages.Text("beneficiary_field", "The beneficiary's {{.Field}} is missing or too long (at most {{.Max}} characters).")
	MsgBeneficiaryNumber = Messages.Text("beneficiary_number", "The account number may contain only digits, spaces and dashes (6 to 34 characters).")

	MsgNotYourTransfer    = Messages.Text("not_your_transfer", "Transfer #{{.ID}} is not yours.")
	MsgOtherBatchTransfer = Messages.Text("transfer_other_batch", "Transfer #{{.ID}} is in another cashier's batch: only that cashier and the superusers see it.")
	MsgOwnTransfer        = Messages.Text("own_transfer", "Transfer #{{.ID}} is your own: another cashier must pay it out.")
	MsgTakenByOther       = Messages.Text("taken_by_other", "Transfer #{{.ID}} was taken by another cashier.")
	MsgReferenceRequired  = Messages.Text("reference_required", "Write the payment reference (1 to 100 characters).")
	MsgBadProofURL        = Messages.Text("bad_proof_url", "The proof must be an https:// link.")
)
