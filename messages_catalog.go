package cambista

// Messages about the catalog: currencies, countries and rates.
var (
	MsgBadCurrency = Messages.Text("bad_currency", "Invalid currency {{printf \"%q\" .Code}}: use a code of 3 to 5 capital letters (for example USD) and an exponent between 0 and 8.")
	MsgBadCountry  = Messages.Text("bad_country", "Invalid country code {{printf \"%q\" .Input}}: use two letters, for example VE or CO.")
	MsgBadName     = Messages.Text("bad_name", "The name must have between 1 and 60 characters.")
	MsgBadRounding = Messages.Text("bad_rounding", "Unknown rounding {{printf \"%q\" .Input}}: use half_even, half_up or down.")
	MsgCurrencyOff = Messages.Text("currency_disabled", "The currency {{.Code}} is disabled.")
	MsgCountryOff  = Messages.Text("country_disabled", "The country {{.Code}} is disabled.")

	MsgRateTooSmall = Messages.Text("rate_too_small", "A rate of {{.Input}} pays less than {{.Smallest}} for 1 {{.Base}}, so every quote would pay nothing. The rate is units of {{.Quote}} per 1 {{.Base}}: check it, or set the pair the other way round.")
	MsgBadRate      = Messages.Text("bad_rate", "Invalid rate {{printf \"%q\" .Input}}: write a positive number such as 40.25 (units of {{.Quote}} per 1 {{.Base}}).")
	MsgSamePair     = Messages.Text("same_pair", "A rate needs two different currencies.")
	MsgNoRate       = Messages.Text("no_rate", "There is no rate for {{.Pair}} yet. Ask a superuser to set one.")
)
