package cambista

// Messages of the business flows (accounts, transfers, batches,
// withdrawals, referrals, statements).
var (
	MsgFourEyes          = Messages.Text("four_eyes", "You cannot decide your own request: another superuser must approve or reject it.")
	MsgReasonRequired    = Messages.Text("reason_required", "Write a reason for the rejection (at most 500 characters).")
	MsgAccountNotActive  = Messages.Text("account_not_active", "Your {{.Currency}} account is {{.Status}}: it must be approved (and not frozen) first.")
	MsgNoAccount         = Messages.Text("no_account", "You have no {{.Currency}} account. Request one with /account request.")
	MsgAvailable         = Messages.Text("available_short", "Not enough available in {{.Currency}}: {{.Available}} available (balance {{.Balance}}, {{.Held}} held by pending withdrawals), {{.Needed}} asked.")
	MsgNotYourTransfer   = Messages.Text("not_your_transfer", "Transfer #{{.ID}} is not yours.")
	MsgNotYourBatch      = Messages.Text("not_your_batch", "Batch #{{.ID}} belongs to another cashier.")
	MsgOwnTransfer       = Messages.Text("own_transfer", "Transfer #{{.ID}} is your own: another cashier must pay it out.")
	MsgTakenByOther      = Messages.Text("taken_by_other", "Transfer #{{.ID}} was taken by another cashier.")
	MsgNoOpenBatch       = Messages.Text("no_open_batch", "You have no open batch for {{.Pair}}. Open one with /batch open.")
	MsgBatchShort        = Messages.Text("batch_short", "Batch #{{.ID}} has {{.Remaining}} left, not enough to pay {{.Needed}}. Close it and open a new one with more capital.")
	MsgBatchHasTaken     = Messages.Text("batch_has_taken", "Batch #{{.ID}} still has transfers taken but not finished: {{.List}}. Complete, reject or release them first.")
	MsgBatchRateInvalid  = Messages.Text("batch_rate_invalid", "Invalid cost rate {{printf \"%q\" .Input}}: write what the capital cost, in {{.Quote}} per 1 {{.Base}}, for example 41.00.")
	MsgQuoteExpired      = Messages.Text("quote_expired", "This quote expired at {{.At}}. Ask for a new quote; rates may have changed.")
	MsgQuoteNotYours     = Messages.Text("quote_not_yours", "Quote #{{.ID}} was made for someone else.")
	MsgBeneficiaryField  = Messages.Text("beneficiary_field", "The beneficiary's {{.Field}} is missing or too long (at most {{.Max}} characters).")
	MsgBeneficiaryNumber = Messages.Text("beneficiary_number", "The account number may contain only digits, spaces and dashes (6 to 34 characters).")
	MsgReferenceRequired = Messages.Text("reference_required", "Write the payment reference (1 to 100 characters).")
	MsgBadProofURL       = Messages.Text("bad_proof_url", "The proof must be an https:// link.")
	MsgNotAgent          = Messages.Text("not_agent", "{{.User}} is not an agent.")
	MsgSelfReferral      = Messages.Text("self_referral", "A user cannot be their own referring agent.")
	MsgHasReferrer       = Messages.Text("has_referrer", "You are already linked to an agent. Ask a superuser to change it.")
	MsgBadInviteCode     = Messages.Text("bad_invite_code", "No agent has the invite code {{printf \"%q\" .Code}}. Check it with your agent.")
	MsgBadDateRange      = Messages.Text("bad_date_range", "The start date must be before the end date.")
)

// Messages of the Discord configuration.
var (
	MsgBadChannelKind = Messages.Text("bad_channel_kind", "Unknown channel {{printf \"%q\" .Input}}: use admin, cashier, log or welcome.")
	MsgBadDate        = Messages.Text("bad_date", "{{printf \"%q\" .Input}} is not a date: write it as YYYY-MM-DD, for example 2026-03-31.")
	MsgBadSnowflake   = Messages.Text("bad_snowflake", "{{printf \"%q\" .Input}} is not a Discord ID: pick the channel or role from the list, or paste its numeric ID.")
)
