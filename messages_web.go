package cambista

// Messages of the admin panel (package web): why a login was refused, why a
// request was turned away, and what a form did. The panel's short labels
// (menus, headings, buttons) live in the web package beside the templates.
var (
	MsgPanelNotRegistered = Messages.Text("panel_not_registered", "Your Discord account ({{.User}}) is not known to cambista. Register in Discord first with /register, then ask a superuser for the cashier role.")
	MsgPanelNoRole        = Messages.Text("panel_no_role", "The panel is for cashiers and superusers, and your user has neither role. Ask a superuser if you need it.")
	MsgPanelLinkInvalid   = Messages.Text("panel_link_invalid", "This login link does not work: it was used already, it expired (a link lasts 15 minutes), or a newer one replaced it. Restart cambista to print a new link, or log in with Discord.")
	MsgPanelOAuthFailed   = Messages.Text("panel_oauth_failed", "Discord did not confirm your login. Start again from the login page.")
	MsgPanelOAuthOff      = Messages.Text("panel_oauth_off", "Login with Discord is not set up on this server (CAMBISTA_DISCORD_CLIENT_ID and CAMBISTA_DISCORD_CLIENT_SECRET). Use the one-time link that cambista prints at start.")
	MsgPanelLoggedOut     = Messages.Text("panel_logged_out", "Your session ended. Log in again to go on.")
	MsgPanelTooMany       = Messages.Text("panel_too_many", "Too many login attempts from your address. Wait a minute and try again.")
	MsgPanelBadForm       = Messages.Text("panel_bad_form", "This form did not come from your panel session, or the session changed since the page was loaded. Reload the page and try again.")
	MsgPanelNoPage        = Messages.Text("panel_no_page", "There is no such page.")
	MsgPanelBadNumber     = Messages.Text("panel_bad_number", "{{printf \"%q\" .Input}} is not a whole number.")

	MsgPanelAccountDone    = Messages.Text("panel_account_done", "Account #{{.ID}} {{if .Approved}}approved{{else}}rejected{{end}}.")
	MsgPanelWithdrawalDone = Messages.Text("panel_withdrawal_done", "Withdrawal #{{.ID}} {{if .Approved}}approved{{else}}rejected{{end}}.")
	MsgPanelCurrencyDone   = Messages.Text("panel_currency_done", "Currency {{.Code}} saved.")
	MsgPanelCountryDone    = Messages.Text("panel_country_done", "Country {{.Code}} saved.")
	MsgPanelRateDone       = Messages.Text("panel_rate_done", "Rate {{.Pair}} set to {{.Rate}}.")
	MsgPanelBatchClosed    = Messages.Text("panel_batch_closed", "Batch #{{.ID}} closed.")
	MsgPanelRevoked        = Messages.Text("panel_revoked", "{{.Count}} sessions of {{.User}} revoked.")
	MsgPanelAuditOK        = Messages.Text("panel_audit_ok", "ok: {{.Count}} events")
	MsgPanelAuditBroken    = Messages.Text("panel_audit_broken", "Broken at sequence {{.Seq}}: {{.Reason}} ({{.Count}} events verified before it).")
)
