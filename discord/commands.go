package discord

import (
	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
)

// A command is data: its localized name and description, its options, and
// the handler that parses them, calls the app and renders the reply. A
// command with subcommands has no handler of its own.
type command struct {
	name, desc cambista.MessageDef
	options    []*discordgo.ApplicationCommandOption
	run        func(b *Bot, it *interaction, o options) (*discordgo.InteractionResponse, error)
	subs       []command
}

func (c command) definition(sub bool) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionSubCommand, Name: c.name.Text, NameLocalizations: localizations(c.name),
		Description: c.desc.Text, DescriptionLocalizations: localizations(c.desc), Options: c.options,
	}
	if !sub {
		o.Type = discordgo.ApplicationCommandOptionSubCommandGroup
	}
	return o
}

// commandDefinitions is what Discord is told at start.
func commandDefinitions() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, c := range commandTable {
		ac := &discordgo.ApplicationCommand{
			Name: c.name.Text, NameLocalizations: new(localizations(c.name)),
			Description: c.desc.Text, DescriptionLocalizations: new(localizations(c.desc)),
			Options: c.options,
		}
		for _, s := range c.subs {
			ac.Options = append(ac.Options, s.definition(true))
		}
		out = append(out, ac)
	}
	return out
}

// option builders; names are lower case, as Discord requires.
func opt(t discordgo.ApplicationCommandOptionType, name, desc cambista.MessageDef, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: t, Name: name.Text, NameLocalizations: localizations(name),
		Description: desc.Text, DescriptionLocalizations: localizations(desc), Required: required}
}

func str(name, desc cambista.MessageDef, required bool) *discordgo.ApplicationCommandOption {
	return opt(discordgo.ApplicationCommandOptionString, name, desc, required)
}

// currencyOpt and countryOpt offer the configured codes as the person types.
func currencyOpt(name, desc cambista.MessageDef, required bool) *discordgo.ApplicationCommandOption {
	o := str(name, desc, required)
	o.Autocomplete = true
	return o
}

func countryOpt(name, desc cambista.MessageDef, required bool) *discordgo.ApplicationCommandOption {
	o := str(name, desc, required)
	o.Autocomplete = true
	return o
}

func integer(name, desc cambista.MessageDef, required bool) *discordgo.ApplicationCommandOption {
	return opt(discordgo.ApplicationCommandOptionInteger, name, desc, required)
}

func boolean(name, desc cambista.MessageDef, required bool) *discordgo.ApplicationCommandOption {
	return opt(discordgo.ApplicationCommandOptionBoolean, name, desc, required)
}

func choices(o *discordgo.ApplicationCommandOption, values ...string) *discordgo.ApplicationCommandOption {
	for _, v := range values {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
	}
	return o
}

// Option names and descriptions.
var (
	oAmount      = words.Text("discord_opt_amount", "amount")
	oAmountD     = words.Text("discord_opt_amount_desc", "Amount, as you write it (1.234,56 or 1,234.56)")
	oFrom        = words.Text("discord_opt_from", "from")
	oFromD       = words.Text("discord_opt_from_desc", "Currency you send")
	oTo          = words.Text("discord_opt_to", "to")
	oToD         = words.Text("discord_opt_to_desc", "Currency the beneficiary receives")
	oFromCountry = words.Text("discord_opt_from_country", "from_country")
	oFromCD      = words.Text("discord_opt_from_country_desc", "Country you send from")
	oToCountry   = words.Text("discord_opt_to_country", "to_country")
	oToCD        = words.Text("discord_opt_to_country_desc", "Country you send to")
	oCurrency    = words.Text("discord_opt_currency", "currency")
	oCurrencyD   = words.Text("discord_opt_currency_desc", "Currency code, for example USD")
	oID          = words.Text("discord_opt_id", "id")
	oIDD         = words.Text("discord_opt_id_desc", "Number of the transfer")
	oBatchID     = words.Text("discord_opt_batch", "batch")
	oBatchIDD    = words.Text("discord_opt_batch_desc", "Number of the batch (if you have several open)")
	oCapital     = words.Text("discord_opt_capital", "capital")
	oCapitalD    = words.Text("discord_opt_capital_desc", "Payout capital, in the currency you pay out")
	oCostRate    = words.Text("discord_opt_cost_rate", "cost_rate")
	oCostRateD   = words.Text("discord_opt_cost_rate_desc", "What the capital cost: units paid out per 1 unit received")
	oStart       = words.Text("discord_opt_start", "start")
	oStartD      = words.Text("discord_opt_start_desc", "First day, YYYY-MM-DD")
	oEnd         = words.Text("discord_opt_end", "end")
	oEndD        = words.Text("discord_opt_end_desc", "Last day, YYYY-MM-DD")
	oRate        = words.Text("discord_opt_rate", "rate")
	oRateD       = words.Text("discord_opt_rate_desc", "Units of 'to' per 1 'from', for example 40.25")
	oConfirm     = words.Text("discord_opt_confirm", "confirm")
	oConfirmD    = words.Text("discord_opt_confirm_desc", "True to set a rate far from the current one, after checking it")
	oCode        = words.Text("discord_opt_code", "code")
	oCodeD       = words.Text("discord_opt_code_desc", "Code: 3-5 letters for a currency, 2 for a country")
	oExponent    = words.Text("discord_opt_decimals", "decimals")
	oExponentD   = words.Text("discord_opt_decimals_desc", "Decimals of the currency (USD 2, CLP 0)")
	oName        = words.Text("discord_opt_name", "name")
	oNameD       = words.Text("discord_opt_name_desc", "Name")
	oPercent     = words.Text("discord_opt_percent", "percent")
	oPercentD    = words.Text("discord_opt_percent_desc", "Commission in percent, for example 3")
	oUserType    = words.Text("discord_opt_user_type", "user_type")
	oUserTypeD   = words.Text("discord_opt_user_type_desc", "client or agent")
	oKind        = words.Text("discord_opt_kind", "kind")
	oKindD       = words.Text("discord_opt_kind_desc", "Which channel")
	oChannel     = words.Text("discord_opt_channel", "channel")
	oChannelD    = words.Text("discord_opt_channel_desc", "The Discord channel")
	oRole        = words.Text("discord_opt_role", "role")
	oRoleD       = words.Text("discord_opt_role_desc", "App role")
	oDRole       = words.Text("discord_opt_discord_role", "discord_role")
	oDRoleD      = words.Text("discord_opt_discord_role_desc", "The Discord role kept in step")
	oUser        = words.Text("discord_opt_user", "user")
	oUserD       = words.Text("discord_opt_user_desc", "The member")
)

// commandTable lists every command. Base names are English; Spanish
// clients see Spanish names and descriptions.
var commandTable = []command{
	{name: registerName, desc: words.Text("discord_cmd_register_desc", "Register with cambista"),
		options: []*discordgo.ApplicationCommandOption{str(oInviteCode, oInviteCodeD, false)}, run: (*Bot).cmdRegister},
	inviteCommand,
	joinCommand,
	{name: words.Text("discord_cmd_roles", "roles"), desc: words.Text("discord_cmd_roles_desc", "Choose your country and user type"), run: (*Bot).cmdRoles},
	{name: words.Text("discord_cmd_account", "account"), desc: words.Text("discord_cmd_account_desc", "Your accounts"), subs: []command{
		{name: words.Text("discord_cmd_account_request", "request"), desc: words.Text("discord_cmd_account_request_desc", "Request an account in a currency"),
			options: []*discordgo.ApplicationCommandOption{currencyOpt(oCurrency, oCurrencyD, true)}, run: (*Bot).cmdAccountRequest},
		{name: words.Text("discord_cmd_account_list", "list"), desc: words.Text("discord_cmd_account_list_desc", "Your accounts and balances"), run: (*Bot).cmdBalance},
	}},
	{name: words.Text("discord_cmd_quote", "quote"), desc: words.Text("discord_cmd_quote_desc", "What would a transfer cost?"),
		options: quoteOptions(), run: (*Bot).cmdQuote},
	{name: words.Text("discord_cmd_send", "send"), desc: words.Text("discord_cmd_send_desc", "Send money"), options: quoteOptions(), run: (*Bot).cmdSend},
	{name: words.Text("discord_cmd_transfer", "transfer"), desc: words.Text("discord_cmd_transfer_desc", "Your transfers"), subs: []command{
		{name: words.Text("discord_cmd_transfer_status", "status"), desc: words.Text("discord_cmd_transfer_status_desc", "Where is a transfer?"),
			options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true)}, run: (*Bot).cmdTransferStatus},
		{name: words.Text("discord_cmd_transfer_cancel", "cancel"), desc: words.Text("discord_cmd_transfer_cancel_desc", "Cancel a pending transfer"),
			options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true)}, run: (*Bot).cmdTransferCancel},
		transferComplete,
		transferListCommand,
	}},
	{name: words.Text("discord_cmd_batch", "batch"), desc: words.Text("discord_cmd_batch_desc", "Cashier batches"), subs: []command{
		{name: words.Text("discord_cmd_batch_open", "open"), desc: words.Text("discord_cmd_batch_open_desc", "Open a batch of payout capital"),
			options: []*discordgo.ApplicationCommandOption{currencyOpt(oFrom, oFromD, true), currencyOpt(oTo, oToD, true),
				str(oCapital, oCapitalD, true), str(oCostRate, oCostRateD, true)}, run: (*Bot).cmdBatchOpen},
		{name: words.Text("discord_cmd_batch_status", "status"), desc: words.Text("discord_cmd_batch_status_desc", "Your open batches"), run: (*Bot).cmdBatchStatus},
		{name: words.Text("discord_cmd_batch_close", "close"), desc: words.Text("discord_cmd_batch_close_desc", "Close your batch and see its summary"),
			options: []*discordgo.ApplicationCommandOption{integer(oBatchID, oBatchIDD, false)}, run: (*Bot).cmdBatchClose},
	}},
	{name: words.Text("discord_cmd_balance", "balance"), desc: words.Text("discord_cmd_balance_desc", "Your balances"), run: (*Bot).cmdBalance},
	{name: words.Text("discord_cmd_statement", "statement"), desc: words.Text("discord_cmd_statement_desc", "Account statement with a CSV file"),
		options: []*discordgo.ApplicationCommandOption{currencyOpt(oCurrency, oCurrencyD, false), str(oStart, oStartD, false), str(oEnd, oEndD, false)},
		run:     (*Bot).cmdStatement},
	{name: words.Text("discord_cmd_withdraw", "withdraw"), desc: words.Text("discord_cmd_withdraw_desc", "Withdraw from an account"),
		options: []*discordgo.ApplicationCommandOption{str(oAmount, oAmountD, true), currencyOpt(oCurrency, oCurrencyD, true)}, run: (*Bot).cmdWithdraw},
	depositCommand, refundCommands[0], refundCommands[1],
	disputeCommand,
	{name: words.Text("discord_cmd_rate", "rate"), desc: words.Text("discord_cmd_rate_desc", "Exchange rates"), subs: []command{
		{name: words.Text("discord_cmd_rate_set", "set"), desc: words.Text("discord_cmd_rate_set_desc", "Set a pair's rate (superuser)"),
			options: []*discordgo.ApplicationCommandOption{currencyOpt(oFrom, oFromD, true), currencyOpt(oTo, oToD, true), str(oRate, oRateD, true),
				boolean(oConfirm, oConfirmD, false)},
			run: (*Bot).cmdRateSet},
		{name: words.Text("discord_cmd_rate_list", "list"), desc: words.Text("discord_cmd_rate_list_desc", "Current rates"), run: (*Bot).cmdRateList},
	}},
	{name: words.Text("discord_cmd_currency", "currency"), desc: words.Text("discord_cmd_currency_desc", "Currencies (superuser)"), subs: []command{
		{name: words.Text("discord_cmd_currency_add", "add"), desc: words.Text("discord_cmd_currency_add_desc", "Add a currency"),
			options: []*discordgo.ApplicationCommandOption{str(oCode, oCodeD, true), integer(oExponent, oExponentD, true), str(oName, oNameD, true)},
			run:     (*Bot).cmdCurrencyAdd},
	}},
	{name: words.Text("discord_cmd_country", "country"), desc: words.Text("discord_cmd_country_desc", "Countries (superuser)"), subs: []command{
		{name: words.Text("discord_cmd_country_add", "add"), desc: words.Text("discord_cmd_country_add_desc", "Add a country"),
			options: []*discordgo.ApplicationCommandOption{str(oCode, oCodeD, true), str(oName, oNameD, true), currencyOpt(oCurrency, oCurrencyD, true)},
			run:     (*Bot).cmdCountryAdd},
	}},
	{name: words.Text("discord_cmd_rule", "rule"), desc: words.Text("discord_cmd_rule_desc", "Business rules (superuser)"), subs: []command{
		{name: words.Text("discord_cmd_rule_commission", "commission"), desc: words.Text("discord_cmd_rule_commission_desc", "Publish a percentage commission"),
			options: []*discordgo.ApplicationCommandOption{str(oPercent, oPercentD, true), countryOpt(oFromCountry, oFromCD, false),
				countryOpt(oToCountry, oToCD, false), choices(str(oUserType, oUserTypeD, false), "client", "agent")},
			run: (*Bot).cmdRuleCommission},
	}},
	{name: words.Text("discord_cmd_config", "config"), desc: words.Text("discord_cmd_config_desc", "Discord settings (superuser)"), subs: []command{
		{name: words.Text("discord_cmd_config_channel", "channel"), desc: words.Text("discord_cmd_config_channel_desc", "Where notices go"),
			options: []*discordgo.ApplicationCommandOption{choices(str(oKind, oKindD, true), "admin", "cashier", "log", "welcome"),
				opt(discordgo.ApplicationCommandOptionChannel, oChannel, oChannelD, true)}, run: (*Bot).cmdConfigChannel},
		{name: words.Text("discord_cmd_config_role", "role"), desc: words.Text("discord_cmd_config_role_desc", "Which Discord role each app role is"),
			options: []*discordgo.ApplicationCommandOption{choices(str(oRole, oRoleD, true), "client", "agent", "cashier", "superuser"),
				opt(discordgo.ApplicationCommandOptionRole, oDRole, oDRoleD, true)}, run: (*Bot).cmdConfigRole},
		configDisputes,
	}},
	{name: words.Text("discord_cmd_role", "role"), desc: words.Text("discord_cmd_role_desc", "App roles of members (superuser)"), subs: []command{
		{name: words.Text("discord_cmd_role_assign", "assign"), desc: words.Text("discord_cmd_role_assign_desc", "Give a member a role"),
			options: []*discordgo.ApplicationCommandOption{opt(discordgo.ApplicationCommandOptionUser, oUser, oUserD, true),
				choices(str(oRole, oRoleD, true), "agent", "cashier", "superuser")}, run: (*Bot).cmdRoleAssign},
		{name: words.Text("discord_cmd_role_remove", "remove"), desc: words.Text("discord_cmd_role_remove_desc", "Take a role away"),
			options: []*discordgo.ApplicationCommandOption{opt(discordgo.ApplicationCommandOptionUser, oUser, oUserD, true),
				choices(str(oRole, oRoleD, true), "agent", "cashier", "superuser")}, run: (*Bot).cmdRoleRemove},
	}},
}

func quoteOptions() []*discordgo.ApplicationCommandOption {
	return []*discordgo.ApplicationCommandOption{
		str(oAmount, oAmountD, true), currencyOpt(oFrom, oFromD, true), currencyOpt(oTo, oToD, true),
		countryOpt(oFromCountry, oFromCD, false), countryOpt(oToCountry, oToCD, false),
	}
}

// options are a command's values by base name.
type options map[string]*discordgo.ApplicationCommandInteractionDataOption

func (o options) str(name string) string {
	if v, ok := o[name]; ok {
		return v.StringValue()
	}
	return ""
}

func (o options) bool(name string) bool {
	if v, ok := o[name]; ok {
		return v.BoolValue()
	}
	return false
}

func (o options) int(name string) int64 {
	if v, ok := o[name]; ok {
		return v.IntValue()
	}
	return 0
}

// command finds the handler of the command or subcommand invoked.
func (b *Bot) command(it *interaction) (*discordgo.InteractionResponse, error) {
	data := it.i.ApplicationCommandData()
	for _, c := range commandTable {
		if c.name.Text != data.Name {
			continue
		}
		if c.run != nil {
			return c.run(b, it, collect(data.Options))
		}
		for _, o := range data.Options {
			for _, s := range c.subs {
				if s.name.Text == o.Name {
					return s.run(b, it, collect(o.Options))
				}
			}
		}
	}
	return nil, errUnknownAction
}

func collect(list []*discordgo.ApplicationCommandInteractionDataOption) options {
	o := options{}
	for _, v := range list {
		o[v.Name] = v
	}
	return o
}
