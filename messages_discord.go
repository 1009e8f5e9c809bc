package cambista

// Messages about the Discord settings (app.ConfigureChannel,
// app.ConfigureRole).
var (
	MsgBadChannelKind = Messages.Text("bad_channel_kind", "Unknown channel {{printf \"%q\" .Input}}: use admin, cashier, log or welcome.")
	MsgBadSnowflake   = Messages.Text("bad_snowflake", "{{printf \"%q\" .Input}} is not a Discord ID: pick the channel or role from the list, or paste its numeric ID.")
)
