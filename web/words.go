package web

import (
	"embed"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

//go:embed locales
var locales embed.FS

// words are the panel's own: its labels (labels.go) and the sentences only
// the panel shows. What the use cases return, the panel's login refusals
// included, is the root's.
var words = i18n.Load(&cambista.Catalog{Spanish: locales})

// The panel's sentences: why a page or a request was turned away, then
// what a form did.
var (
	MsgOAuthFailed   = words.Text("panel_oauth_failed", "Discord did not confirm your login. Start again from the login page.")
	MsgOAuthOff      = words.Text("panel_oauth_off", "Login with Discord is not set up on this server (CAMBISTA_DISCORD_CLIENT_ID and CAMBISTA_DISCORD_CLIENT_SECRET). Use the one-time link that cambista prints at start.")
	MsgLoggedOut     = words.Text("panel_logged_out", "Your session ended. Log in again to go on.")
	MsgTooMany       = words.Text("panel_too_many", "Too many login attempts from your address. Wait a minute and try again.")
	MsgBadForm       = words.Text("panel_bad_form", "This form did not come from your panel session, or the session changed since the page was loaded. Reload the page and try again.")
	MsgNoPage        = words.Text("panel_no_page", "There is no such page.")
	MsgBadNumber     = words.Text("panel_bad_number", "{{printf \"%q\" .Input}} is not a whole number.")
	MsgNoSuchPerson  = words.Text("panel_no_such_person", "No one is called {{printf \"%q\" .Input}}. Type part of a name or a Discord ID.")
	MsgSeveralPeople = words.Text("panel_several_people", "Several people match {{printf \"%q\" .Input}}: {{.Names}}. Type more of the name, or the Discord ID.")

	MsgAccountDone       = words.Text("panel_account_done", "Account #{{.ID}} {{if .Approved}}approved{{else}}rejected{{end}}.")
	MsgWithdrawalDone    = words.Text("panel_withdrawal_done", "Withdrawal #{{.ID}} {{if .Approved}}approved{{else}}rejected{{end}}.")
	MsgRefundDone        = words.Text("panel_refund_done", "Refund #{{.ID}} {{if .Approved}}approved and posted{{else}}rejected{{end}}.")
	MsgDepositDone       = words.Text("panel_deposit_done", "Deposit #{{.ID}} {{if .Approved}}confirmed{{else}}rejected{{end}}.")
	MsgCurrencyDone      = words.Text("panel_currency_done", "Currency {{.Code}} saved.")
	MsgCountryDone       = words.Text("panel_country_done", "Country {{.Code}} saved.")
	MsgRateDone          = words.Text("panel_rate_done", "Rate {{.Pair}} set to {{.Rate}}.")
	MsgBatchClosed       = words.Text("panel_batch_closed", "Batch #{{.ID}} closed.")
	MsgRevoked           = words.Text("panel_revoked", "{{.Count}} {{if eq (print .Count) \"1\"}}session{{else}}sessions{{end}} of {{.User}} revoked.")
	MsgAuditOK           = words.Text("panel_audit_ok", "ok: {{.Count}} {{if eq (print .Count) \"1\"}}event{{else}}events{{end}}")
	MsgAuditBroken       = words.Text("panel_audit_broken", "Broken at sequence {{.Seq}}: {{.Reason}} ({{.Count}} {{if eq (print .Count) \"1\"}}event{{else}}events{{end}} verified before it).")
	MsgRuleSaved         = words.Text("panel_rule_saved", "Draft v{{.Version}} of rule #{{.ID}} ({{printf \"%q\" .Name}}) saved. Simulate it, then publish the drafts to put it in use.")
	MsgRulesPublished    = words.Text("panel_rules_published", "{{if eq (print .Count) \"1\"}}1 draft published: quotes use it from now on.{{else if .Count}}{{.Count}} drafts published: quotes use them from now on.{{else}}There was no draft to publish.{{end}}")
	MsgRulesReplaced     = words.Text("panel_rules_replaced", "Drafts published ({{.Count}}): quotes use them from now on. Retired, as a draft now covers the same quotes: {{.Replaced}}.")
	MsgRuleWillReplace   = words.Text("panel_rule_will_replace", "Publishing draft #{{.ID}} ({{.Name}}) retires rule #{{.OldID}} ({{.OldName}}), which covers the same quotes.")
	MsgRuleRetired       = words.Text("panel_rule_retired", "Rule #{{.ID}} ({{printf \"%q\" .Name}}) retired: quotes no longer use it.")
	MsgProfileSaved      = words.Text("panel_profile_saved", "Profile of {{.User}} saved.")
	MsgRoleChanged       = words.Text("panel_role_changed", "{{if .Granted}}{{.User}} now has the role {{.Role}}.{{else}}{{.User}} no longer has the role {{.Role}}.{{end}}")
	MsgReferrerSet       = words.Text("panel_referrer_set", "{{if .Agent}}{{.User}} is now linked to the agent {{.Agent}}.{{else}}{{.User}} is no longer linked to an agent.{{end}}")
	MsgConfirmCloseBatch = words.Text("panel_confirm_close_batch", "Close batch #{{.ID}}? Its summary is computed and kept as it is, the capital left is returned, and no transfer can be paid from it any more.")
	MsgConfirmRetire     = words.Text("panel_confirm_retire", "Retire rule #{{.ID}} ({{printf \"%q\" .Name}})? Quotes stop using it at once.")
	MsgConfirmUnsuper    = words.Text("panel_confirm_unsuper", "Take the superuser role away from {{.User}}? They lose access to approvals, rates, rules and the audit log.")
	MsgConfirmRevoke     = words.Text("panel_confirm_revoke", "Revoke every panel session of {{.User}}? They are logged out at once.")
	MsgTransferCompleted = words.Text("panel_transfer_completed", "Transfer #{{.ID}} completed: the payout is posted and the client is told.")
	MsgTransferRejected  = words.Text("panel_transfer_rejected", "Transfer #{{.ID}} rejected: the client is told why.")
	MsgTransferReleased  = words.Text("panel_transfer_released", "Transfer #{{.ID}} released: it waits in the queue for a cashier again.")
	MsgDraftDiscarded    = words.Text("panel_draft_discarded", "The draft of rule #{{.ID}} ({{printf \"%q\" .Name}}) was discarded.")
	MsgAccountFrozen     = words.Text("panel_account_frozen", "Account #{{.ID}} ({{.Currency}}) {{if .Frozen}}frozen{{else}}unfrozen{{end}}.")
	MsgRefundAsked       = words.Text("panel_refund_asked", "#{{.ID}} ({{.Kind}}, {{.Amount}}): {{if not .Posted}}it waits in approvals for a second superuser.{{else if .ToBalance}}posted to the client's balance.{{else}}posted as money returned outside.{{end}}")
	MsgConfirmReverse    = words.Text("panel_confirm_reverse", "Reverse transfer #{{.ID}}? All that was not refunded yet goes back to the client, and the transfer becomes reversed.")
	MsgAgentDone         = words.Text("panel_agent_done", "Request #{{.ID}} to become an agent {{if .Approved}}approved{{else}}rejected{{end}}.")
)
