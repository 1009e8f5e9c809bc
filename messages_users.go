package cambista

// Messages about users: their profile, their roles, the agent who referred
// them, and why the admin panel refuses their login (app.PanelLogin).
var (
	MsgBadUserID      = Messages.Text("bad_user_id", "Invalid Discord user ID {{printf \"%q\" .Input}}: it must be a number.")
	MsgBadDisplayName = Messages.Text("bad_display_name", "The display name must have between 1 and 80 characters.")
	MsgBadUserType    = Messages.Text("bad_user_type", "Unknown user type {{printf \"%q\" .Input}}: use client or agent.")
	MsgBadLocale      = Messages.Text("bad_locale", "Unknown language {{printf \"%q\" .Input}}: use es or en.")
	MsgBadPhone       = Messages.Text("bad_phone", "The phone number is too long (at most 32 characters).")

	MsgBadRole       = Messages.Text("bad_role", "Unknown role {{printf \"%q\" .Input}}: use client, agent, cashier or superuser.")
	MsgLastSuperuser = Messages.Text("last_superuser", "You cannot remove the last superuser.")
	MsgRoleNotHeld   = Messages.Text("role_not_held", "{{.User}} does not have the role {{.Role}}.")
	MsgClientRole    = Messages.Text("client_role", "Every registered user is a client; the client role cannot be removed.")

	MsgAlreadyAgent  = Messages.Text("already_agent", "You are already an agent.")
	MsgTypeByRequest = Messages.Text("type_by_request", "Only a superuser changes a user's type, and not their own. To become an agent, ask for it from the roles panel (/register): another superuser decides.")

	MsgNotAgent      = Messages.Text("not_agent", "{{.User}} is not an agent.")
	MsgSelfReferral  = Messages.Text("self_referral", "A user cannot be their own referring agent.")
	MsgHasReferrer   = Messages.Text("has_referrer", "You are already linked to an agent. Ask a superuser to change it.")
	MsgBadInviteCode = Messages.Text("bad_invite_code", "No agent has the invite code {{printf \"%q\" .Code}}. Check it with your agent.")

	MsgPanelNotRegistered = Messages.Text("panel_not_registered", "Your Discord account ({{.User}}) is not known to cambista. Register in Discord first with /register, then ask a superuser for the cashier role.")
	MsgPanelNoRole        = Messages.Text("panel_no_role", "The panel is for cashiers and superusers, and your user has neither role. Ask a superuser if you need it.")
	MsgPanelLinkInvalid   = Messages.Text("panel_link_invalid", "This login link does not work: it was used already, it expired (a link lasts 15 minutes), or a newer one replaced it. Restart cambista to print a new link, or log in with Discord.")
)
