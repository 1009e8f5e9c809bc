package cambista

// Why the admin panel refuses a login (app.PanelLogin). The panel's other
// words are package web's.
var (
	MsgPanelNotRegistered = Messages.Text("panel_not_registered", "Your Discord account ({{.User}}) is not known to cambista. Register in Discord first with /register, then ask a superuser for the cashier role.")
	MsgPanelNoRole        = Messages.Text("panel_no_role", "The panel is for cashiers and superusers, and your user has neither role. Ask a superuser if you need it.")
	MsgPanelLinkInvalid   = Messages.Text("panel_link_invalid", "This login link does not work: it was used already, it expired (a link lasts 15 minutes), or a newer one replaced it. Restart cambista to print a new link, or log in with Discord.")
)
