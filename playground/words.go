package playground

import (
	"embed"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/discord/wire"
	"github.com/cambista/cambista/i18n"
)

//go:embed locales
var locales embed.FS

// words are the page's own: what frames the stand-in's guild, and why
// Discord's client would not send what was typed. What the bot says is
// the bot's.
var words = i18n.Load(&cambista.Catalog{Spanish: locales})

// The page's labels, by the key its template asks for ({{t "send"}}).
var labels = map[string]cambista.MessageDef{
	"title":        words.Text("pg_title", "cambista playground"),
	"notice":       words.Text("pg_notice", "A stand-in for Discord: the bot runs for real, with no Discord application."),
	"act_as":       words.Text("pg_act_as", "Act as"),
	"join":         words.Text("pg_join", "Join as a new member"),
	"name":         words.Text("pg_name", "Name"),
	"join_button":  words.Text("pg_join_button", "Join"),
	"locale":       words.Text("pg_locale", "Discord language"),
	"save":         words.Text("pg_save", "Save"),
	"reset":        words.Text("pg_reset", "Reset playground"),
	"channels":     words.Text("pg_channels", "Channels"),
	"dms":          words.Text("pg_dms", "Direct messages"),
	"only_you":     words.Text("pg_only_you", "Only you can see this"),
	"thinking":     words.Text("pg_thinking", "cambista is thinking…"),
	"used":         words.Text("pg_used", "used"),
	"edited":       words.Text("pg_edited", "(edited)"),
	"send":         words.Text("pg_send", "Send"),
	"box":          words.Text("pg_box", "Type / for the bot's commands"),
	"cancel":       words.Text("pg_cancel", "Cancel"),
	"submit":       words.Text("pg_submit", "Submit"),
	"empty":        words.Text("pg_empty", "No messages here yet."),
	"bot":          words.Text("pg_bot", "BOT"),
	"roles":        words.Text("pg_roles", "Roles"),
	"new_member":   words.Text("pg_new_member", "not registered"),
	"pick":         words.Text("pg_pick", "Choose…"),
	"no_files":     words.Text("pg_no_files", "No attachments in the playground"),
	"required":     words.Text("pg_required", "required"),
	"member_count": words.Text("pg_member_count", "{{.Count}} members"),
}

// Why Discord's client refuses what was typed, by wire.Invalid's code.
var (
	msgRequired = words.Text("pg_err_required", "{{.Field}}: this is required.")
	msgTooLong  = words.Text("pg_err_too_long", "{{.Field}}: too long.")
	msgTooShort = words.Text("pg_err_too_short", "{{.Field}}: too short.")
	msgNumber   = words.Text("pg_err_number", "{{.Field}}: type a whole number.")
	msgChoice   = words.Text("pg_err_choice", "{{.Field}}: pick one of the choices.")
	msgUnknown  = words.Text("pg_err_unknown", "{{.Field}}: Discord would not send this.")
	msgNoCmd    = words.Text("pg_err_no_command", "{{.Field}} is not one of the bot's commands here.")
	msgSub      = words.Text("pg_err_subcommand", "{{.Field}}: choose one of its commands.")
	msgGone     = words.Text("pg_err_gone", "This is no longer there: the page shows what is.")
	msgNameLen  = words.Text("pg_err_name", "A name has 1 to 32 characters.")
)

// refusal renders why what was typed is refused, in the person's language.
func refusal(l i18n.Lang, e *wire.Invalid, field string) string {
	d := msgUnknown
	switch e.Code {
	case "BASE_TYPE_REQUIRED":
		d = msgRequired
	case "BASE_TYPE_MAX_LENGTH":
		d = msgTooLong
	case "BASE_TYPE_MIN_LENGTH":
		d = msgTooShort
	case "INTEGER_TYPE_INVALID", "NUMBER_TYPE_INVALID", "NUMBER_TYPE_MIN", "NUMBER_TYPE_MAX":
		d = msgNumber
	case "BASE_TYPE_CHOICES":
		d = msgChoice
	case "UNKNOWN_COMMAND", "UNKNOWN_SUBCOMMAND":
		d = msgNoCmd
	case "SUBCOMMAND_REQUIRED":
		d = msgSub
	}
	return i18n.T(l, d.Msg("Field", field))
}
