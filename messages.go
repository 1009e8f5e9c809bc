package cambista

// Messages a person reads, in English. The Spanish catalog lives in
// i18n/locales/es.json; a test checks that every message here has a
// translation there.
var (
	MsgInternal          = Messages.Text("internal", "Something went wrong on our side. Please try again in a moment; if it keeps happening, tell a superuser.")
	MsgForbidden         = Messages.Text("forbidden", "You are not allowed to do this ({{.Action}}). Ask a superuser if you think you should be.")
	MsgNotRegistered     = Messages.Text("not_registered", "You are not registered yet. Use /register first.")
	MsgUserFrozen        = Messages.Text("user_frozen", "Your user is frozen. Ask a superuser to unfreeze it.")
	MsgIllegalTransition = Messages.Text("illegal_transition", "This {{.Entity}} is {{.From}} and cannot become {{.To}}.")
	MsgNotFound          = Messages.Text("not_found", "No {{.Entity}} {{.ID}} was found. Check the identifier and try again.")
	MsgAlreadyExists     = Messages.Text("already_exists", "{{.Entity}} {{.ID}} already exists.")
	MsgKeyReused         = Messages.Text("key_reused", "This request was already made with different details. Start a new one instead of repeating it.")

	MsgBadRole        = Messages.Text("bad_role", "Unknown role {{printf \"%q\" .Input}}: use client, agent, cashier or superuser.")
	MsgBadUserType    = Messages.Text("bad_user_type", "Unknown user type {{printf \"%q\" .Input}}: use client or agent.")
	MsgBadDisplayName = Messages.Text("bad_display_name", "The display name must have between 1 and 80 characters.")
	MsgBadLocale      = Messages.Text("bad_locale", "Unknown language {{printf \"%q\" .Input}}: use es or en.")
	MsgBadCountry     = Messages.Text("bad_country", "Invalid country code {{printf \"%q\" .Input}}: use two letters, for example VE or CO.")
	MsgBadPhone       = Messages.Text("bad_phone", "The phone number is too long (at most 32 characters).")
	MsgBadUserID      = Messages.Text("bad_user_id", "Invalid Discord user ID {{printf \"%q\" .Input}}: it must be a number.")
	MsgBadCurrency    = Messages.Text("bad_currency", "Invalid currency {{printf \"%q\" .Code}}: use a code of 3 to 5 capital letters (for example USD) and an exponent between 0 and 8.")
	MsgBadName        = Messages.Text("bad_name", "The name must have between 1 and 60 characters.")
	MsgBadRate        = Messages.Text("bad_rate", "Invalid rate {{printf \"%q\" .Input}}: write a positive number such as 40.25 (units of {{.Quote}} per 1 {{.Base}}).")
	MsgBadRounding    = Messages.Text("bad_rounding", "Unknown rounding {{printf \"%q\" .Input}}: use half_even, half_up or down.")
	MsgSamePair       = Messages.Text("same_pair", "A rate needs two different currencies.")
	MsgCurrencyOff    = Messages.Text("currency_disabled", "The currency {{.Code}} is disabled.")
	MsgCountryOff     = Messages.Text("country_disabled", "The country {{.Code}} is disabled.")
	MsgNoRate         = Messages.Text("no_rate", "There is no rate for {{.Pair}} yet. Ask a superuser to set one.")
	MsgLastSuperuser  = Messages.Text("last_superuser", "You cannot remove the last superuser.")
	MsgRoleNotHeld    = Messages.Text("role_not_held", "{{.User}} does not have the role {{.Role}}.")
	MsgClientRole     = Messages.Text("client_role", "Every registered user is a client; the client role cannot be removed.")

	MsgUnbalanced   = Messages.Text("unbalanced_entry", "The journal entry does not balance in {{.Currency}} (off by {{.Minor}} minor units).")
	MsgBadPosting   = Messages.Text("bad_posting", "Invalid posting on {{printf \"%q\" .Account}}: {{.Reason}}.")
	MsgInsufficient = Messages.Text("insufficient", "Not enough funds in {{.Account}}: {{.Available}} available, {{.Needed}} needed.")

	MsgAmountEmpty     = Messages.Text("amount_empty", "Write an amount, for example {{.Example}}.")
	MsgAmountSyntax    = Messages.Text("amount_syntax", "{{printf \"%q\" .Input}} is not an amount. Write it like {{.Example}}.")
	MsgAmountAmbiguous = Messages.Text("amount_ambiguous", "{{printf \"%q\" .Input}} is ambiguous: write it without thousands separators, like {{.Example}}.")
	MsgAmountDecimals  = Messages.Text("amount_decimals", "{{.Currency}} allows at most {{.Exponent}} decimals; write it like {{.Example}}.")
	MsgAmountPositive  = Messages.Text("amount_positive", "The amount must be greater than zero.")
	MsgAmountCurrency  = Messages.Text("amount_currency", "{{printf \"%q\" .Found}} is not {{.Currency}}; write the amount in {{.Currency}}.")
	MsgAmountTooLarge  = Messages.Text("amount_too_large", "{{printf \"%q\" .Input}} is too large.")
	MsgAmountOverflow  = Messages.Text("amount_overflow", "The result is too large to compute exactly.")
)
