package discord

import (
	"embed"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

//go:embed locales
var locales embed.FS

// words are the bot's own: command and option names and descriptions (in
// commands.go), card titles and fields, buttons, form labels and replies.
// What the use cases return is the root's.
var words = i18n.Load(&cambista.Catalog{Spanish: locales})

// tr renders d, with data kv (key, value…), in the reader's language.
func tr(l i18n.Lang, d cambista.MessageDef, kv ...any) string { return i18n.T(l, d.Msg(kv...)) }

// localizations gives Discord the Spanish of d for both Spanish locales.
func localizations(d cambista.MessageDef) map[discordgo.Locale]string {
	es := tr(i18n.ES, d)
	return map[discordgo.Locale]string{discordgo.SpanishES: es, discordgo.SpanishLATAM: es}
}

// Titles, fields, buttons, form labels and replies.
var (
	lAccount        = words.Text("discord_account", "Account #{{.ID}}")
	lTransfer       = words.Text("discord_transfer", "Transfer #{{.ID}}")
	lWithdrawal     = words.Text("discord_withdrawal", "Withdrawal #{{.ID}}")
	lBatch          = words.Text("discord_batch", "Batch #{{.ID}}")
	lQuote          = words.Text("discord_quote", "Quote #{{.ID}}")
	lUser           = words.Text("discord_user", "User")
	lCurrency       = words.Text("discord_currency", "Currency")
	lStatus         = words.Text("discord_status", "Status")
	lBy             = words.Text("discord_by", "By")
	lReason         = words.Text("discord_reason", "Reason")
	lAmount         = words.Text("discord_amount", "Amount")
	lSend           = words.Text("discord_send", "You send")
	lRate           = words.Text("discord_rate", "Rate")
	lCommission     = words.Text("discord_commission", "Commission")
	lReceive        = words.Text("discord_receive", "Beneficiary receives")
	lExpires        = words.Text("discord_expires", "Valid until")
	lWhy            = words.Text("discord_why", "Why")
	lBeneficiary    = words.Text("discord_beneficiary", "Beneficiary")
	lCashier        = words.Text("discord_cashier", "Cashier")
	lReference      = words.Text("discord_reference", "Reference")
	lCapital        = words.Text("discord_capital", "Capital")
	lCostRate       = words.Text("discord_cost_rate", "Cost rate")
	lRemaining      = words.Text("discord_remaining", "Remaining")
	lReserved       = words.Text("discord_reserved", "Reserved")
	lTransfers      = words.Text("discord_transfers", "Transfers")
	lPaidOut        = words.Text("discord_paid_out", "Paid out")
	lCost           = words.Text("discord_cost", "Cost")
	lCollected      = words.Text("discord_collected", "Collected")
	lGross          = words.Text("discord_gross", "Gross profit")
	lAgentComm      = words.Text("discord_agent_comm", "Agent commissions")
	lNet            = words.Text("discord_net", "Net profit")
	lReturned       = words.Text("discord_returned", "Capital returned")
	lBalance        = words.Text("discord_balance", "Balance")
	lHeld           = words.Text("discord_held", "Held")
	lAvailable      = words.Text("discord_available", "Available")
	lNoAccounts     = words.Text("discord_no_accounts", "You have no accounts yet. Request one with /account request.")
	lApprove        = words.Text("discord_approve", "Approve")
	lReject         = words.Text("discord_reject", "Reject")
	lTake           = words.Text("discord_take", "Take")
	lComplete       = words.Text("discord_complete", "Complete")
	lRelease        = words.Text("discord_release", "Release")
	lQueue          = words.Text("discord_queue", "Transfers waiting")
	lPick           = words.Text("discord_pick", "Take a transfer")
	lConfirm        = words.Text("discord_confirm", "Confirm and send")
	lRegister       = words.Text("discord_register", "Register")
	lWelcome        = words.Text("discord_welcome", "Welcome! Press the button to register. If an agent invited you, type their invite code in the form.")
	lRegistered     = words.Text("discord_registered", "Registered as {{.Name}}. Now choose your country and user type:")
	lProfileSaved   = words.Text("discord_profile_saved", "Saved: country {{.Country}}, user type {{.Type}}.")
	lPickCountry    = words.Text("discord_pick_country", "Your country")
	lPickType       = words.Text("discord_pick_type", "You are…")
	lTypeClient     = words.Text("discord_type_client", "Client")
	lTypeAgent      = words.Text("discord_type_agent", "Agent (a superuser approves)")
	lAgentAsked     = words.Text("discord_agent_asked", "Your request to become an agent (#{{.ID}}) went to the superusers; another superuser decides and you will get a message.")
	lAgentRequest   = words.Text("discord_agent_request", "Request to become an agent #{{.ID}}")
	lDisplayName    = words.Text("discord_display_name", "Display name")
	lPhone          = words.Text("discord_phone", "Phone (optional)")
	lBenName        = words.Text("discord_ben_name", "Beneficiary's full name")
	lBenBank        = words.Text("discord_ben_bank", "Bank")
	lBenNumber      = words.Text("discord_ben_number", "Account number")
	lBenDoc         = words.Text("discord_ben_doc", "ID document")
	lRefInput       = words.Text("discord_ref_input", "Payment reference")
	lProofInput     = words.Text("discord_proof_input", "Proof (https link, optional)")
	lReasonInput    = words.Text("discord_reason_input", "Reason")
	lRequested      = words.Text("discord_requested", "Account #{{.ID}} in {{.Currency}} requested. A superuser will review it; you will get a DM.")
	lCreated        = words.Text("discord_created", "Transfer #{{.ID}} created: {{.Amount}} to {{.Beneficiary}}. A cashier will take it; you will get DMs as it moves.")
	lCancelled      = words.Text("discord_cancelled", "Transfer #{{.ID}} cancelled.")
	lWithdrawReq    = words.Text("discord_withdraw_req", "Withdrawal #{{.ID}} of {{.Amount}} requested. The amount is held until a superuser decides.")
	lRateSet        = words.Text("discord_rate_set", "Rate {{.Pair}} set: {{.Rate}} {{.Quote}} per 1 {{.Base}}.")
	lRateConfirmHow = words.Text("discord_rate_confirm_how", "Nothing changed. To set it, run /rate set again with the same values and confirm: True.")
	lNoRates        = words.Text("discord_no_rates", "No rates yet.")
	lCurrencyAdded  = words.Text("discord_currency_added", "Currency {{.Code}} ({{.Name}}, {{.Exponent}} decimals) added.")
	lCountryAdded   = words.Text("discord_country_added", "Country {{.Code}} ({{.Name}}, pays out in {{.Currency}}) added.")
	lRuleSaved      = words.Text("discord_rule_saved", "Commission rule #{{.ID}} ({{.Percent}} %) published.")
	lRuleReplaced   = words.Text("discord_rule_replaced", "It replaces rule #{{.ID}} ({{.Name}}), which covered the same quotes and is now retired.")
	lChannelSet     = words.Text("discord_channel_set", "The {{.Kind}} channel is now <#{{.Channel}}>.")
	lRoleSet        = words.Text("discord_role_set", "The app role {{.Role}} is now the Discord role <@&{{.DiscordRole}}>.")
	lRoleChanged    = words.Text("discord_role_changed", "{{.User}} now has the roles: {{.Roles}}.")
	lStatement      = words.Text("discord_statement", "Statement {{.Currency}}")
	lOpening        = words.Text("discord_opening", "Opening balance")
	lClosing        = words.Text("discord_closing", "Closing balance")
	lLines          = words.Text("discord_lines", "Movements")
	lBatchClosed    = words.Text("discord_batch_closed", "Batch #{{.ID}} closed.")
	lNoOpenBatches  = words.Text("discord_no_open_batches", "You have no open batches.")
	lInternalPrefix = words.Text("discord_internal_prefix", "Something went wrong on our side (reference {{.Reference}}). Please try again; if it keeps happening, tell a superuser.")
	lUnknownAction  = words.Text("discord_unknown_action", "This button is no longer valid. Run the command again.")
	lWhoActed       = words.Text("discord_who_acted", "{{.State}} by <@{{.User}}>")
)

// Why an option was refused before the use case saw it.
var msgBadPercent = words.Text("bad_percent", "{{printf \"%q\" .Input}} is not a percentage: write a number such as 3 or 2.5.")
