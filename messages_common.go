package cambista

// Messages any use case may return: who may act, what was not found or
// conflicts, a fault of ours, and a period given wrong.
var (
	MsgInternal      = Messages.Text("internal", "Something went wrong on our side. Please try again in a moment; if it keeps happening, tell a superuser.")
	MsgForbidden     = Messages.Text("forbidden", "You are not allowed to do this ({{.Action}}). Ask a superuser if you think you should be.")
	MsgControlChar   = Messages.Text("control_char", "The {{.Field}} contains an invisible or control character (or one that reverses the text's direction). Type it again without it.")
	MsgNotRegistered = Messages.Text("not_registered", "You are not registered yet. Use /register first.")
	MsgUserFrozen    = Messages.Text("user_frozen", "Your user is frozen. Ask a superuser to unfreeze it.")
	MsgKeyReused     = Messages.Text("key_reused", "This request was already made with different details. Start a new one instead of repeating it.")

	MsgIllegalTransition = Messages.Text("illegal_transition", "This {{.Entity}} is {{.From}} and cannot become {{.To}}.")
	MsgNotFound          = Messages.Text("not_found", "No {{.Entity}} {{.ID}} was found. Check the identifier and try again.")
	MsgAlreadyExists     = Messages.Text("already_exists", "{{.Entity}} {{.ID}} already exists.")

	MsgBadDate      = Messages.Text("bad_date", "{{printf \"%q\" .Input}} is not a date: write it as YYYY-MM-DD, for example 2026-03-31.")
	MsgBadDateRange = Messages.Text("bad_date_range", "The start date must be before the end date.")
)
