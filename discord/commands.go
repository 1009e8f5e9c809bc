package discord

import (
	"github.com/bwmarrin/discordgo"
)

// A command is data: its localized name and description, its options, and
// the handler that parses them, calls the app and renders the reply. A
// command with subcommands has no handler of its own.
type command struct {
	name, desc text
	options    []*discordgo.ApplicationCommandOption
	run        func(b *Bot, it *interaction, o options) (*discordgo.InteractionResponse, error)
	subs       []command
}

func (c command) definition(sub bool) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionSubCommand, Name: c.name.en, NameLocalizations: c.name.localizationMap(),
		Description: c.desc.en, DescriptionLocalizations: c.desc.localizationMap(), Options: c.options,
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
			Name: c.name.en, NameLocalizations: c.name.localizations(),
			Description: c.desc.en, DescriptionLocalizations: c.desc.localizations(),
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
func opt(t discordgo.ApplicationCommandOptionType, name, desc text, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: t, Name: name.en, NameLocalizations: name.localizationMap(),
		Description: desc.en, DescriptionLocalizations: desc.localizationMap(), Required: required}
}

func str(name, desc text, required bool) *discordgo.ApplicationCommandOption {
	return opt(discordgo.ApplicationCommandOptionString, name, desc, required)
}

// currencyOpt and countryOpt offer the configured codes as the person types.
func currencyOpt(name, desc text, required bool) *discordgo.ApplicationCommandOption {
	o := str(name, desc, required)
	o.Autocomplete = true
	return o
}

func countryOpt(name, desc text, required bool) *discordgo.ApplicationCommandOption {
	o := str(name, desc, required)
	o.Autocomplete = true
	return o
}

func integer(name, desc text, required bool) *discordgo.ApplicationCommandOption {
	return opt(discordgo.ApplicationCommandOptionInteger, name, desc, required)
}

func choices(o *discordgo.ApplicationCommandOption, values ...string) *discordgo.ApplicationCommandOption {
	for _, v := range values {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
	}
	return o
}

// Option names and descriptions.
var (
	oAmount      = text{"amount", "monto"}
	oAmountD     = text{"Amount, as you write it (1.234,56 or 1,234.56)", "Monto, como lo escribe (1.234,56 o 1,234.56)"}
	oFrom        = text{"from", "de"}
	oFromD       = text{"Currency you send", "Moneda que envía"}
	oTo          = text{"to", "a"}
	oToD         = text{"Currency the beneficiary receives", "Moneda que recibe el beneficiario"}
	oFromCountry = text{"from_country", "pais_origen"}
	oFromCD      = text{"Country you send from", "País desde donde envía"}
	oToCountry   = text{"to_country", "pais_destino"}
	oToCD        = text{"Country you send to", "País al que envía"}
	oCurrency    = text{"currency", "moneda"}
	oCurrencyD   = text{"Currency code, for example USD", "Código de moneda, por ejemplo USD"}
	oID          = text{"id", "id"}
	oIDD         = text{"Number of the transfer", "Número de la transferencia"}
	oBatchID     = text{"batch", "lote"}
	oBatchIDD    = text{"Number of the batch (if you have several open)", "Número del lote (si tiene varios abiertos)"}
	oCapital     = text{"capital", "capital"}
	oCapitalD    = text{"Payout capital, in the currency you pay out", "Capital de pago, en la moneda que paga"}
	oCostRate    = text{"cost_rate", "tasa_costo"}
	oCostRateD   = text{"What the capital cost: units paid out per 1 unit received", "Lo que costó el capital: unidades que paga por 1 unidad que recibe"}
	oStart       = text{"start", "desde"}
	oStartD      = text{"First day, YYYY-MM-DD", "Primer día, AAAA-MM-DD"}
	oEnd         = text{"end", "hasta"}
	oEndD        = text{"Last day, YYYY-MM-DD", "Último día, AAAA-MM-DD"}
	oRate        = text{"rate", "tasa"}
	oRateD       = text{"Units of 'to' per 1 'from', for example 40.25", "Unidades de 'a' por 1 de 'de', por ejemplo 40,25"}
	oCode        = text{"code", "codigo"}
	oCodeD       = text{"Code: 3-5 letters for a currency, 2 for a country", "Código: 3 a 5 letras para una moneda, 2 para un país"}
	oExponent    = text{"decimals", "decimales"}
	oExponentD   = text{"Decimals of the currency (USD 2, CLP 0)", "Decimales de la moneda (USD 2, CLP 0)"}
	oName        = text{"name", "nombre"}
	oNameD       = text{"Name", "Nombre"}
	oPercent     = text{"percent", "porcentaje"}
	oPercentD    = text{"Commission in percent, for example 3", "Comisión en porcentaje, por ejemplo 3"}
	oUserType    = text{"user_type", "tipo_usuario"}
	oUserTypeD   = text{"client or agent", "client (cliente) o agent (agente)"}
	oKind        = text{"kind", "tipo"}
	oKindD       = text{"Which channel", "Qué canal"}
	oChannel     = text{"channel", "canal"}
	oChannelD    = text{"The Discord channel", "El canal de Discord"}
	oRole        = text{"role", "rol"}
	oRoleD       = text{"App role", "Rol de la app"}
	oDRole       = text{"discord_role", "rol_discord"}
	oDRoleD      = text{"The Discord role kept in step", "El rol de Discord sincronizado"}
	oUser        = text{"user", "usuario"}
	oUserD       = text{"The member", "El miembro"}
)

// commandTable lists every command. Base names are English; Spanish
// clients see Spanish names and descriptions.
var commandTable = []command{
	{name: text{"register", "registro"}, desc: text{"Register with cambista", "Regístrese en cambista"}, run: (*Bot).cmdRegister},
	{name: text{"roles", "roles"}, desc: text{"Choose your country and user type", "Elija su país y tipo de usuario"}, run: (*Bot).cmdRoles},
	{name: text{"account", "cuenta"}, desc: text{"Your accounts", "Sus cuentas"}, subs: []command{
		{name: text{"request", "solicitar"}, desc: text{"Request an account in a currency", "Solicite una cuenta en una moneda"},
			options: []*discordgo.ApplicationCommandOption{currencyOpt(oCurrency, oCurrencyD, true)}, run: (*Bot).cmdAccountRequest},
		{name: text{"list", "listar"}, desc: text{"Your accounts and balances", "Sus cuentas y saldos"}, run: (*Bot).cmdBalance},
	}},
	{name: text{"quote", "cotizar"}, desc: text{"What would a transfer cost?", "¿Cuánto costaría una transferencia?"},
		options: quoteOptions(), run: (*Bot).cmdQuote},
	{name: text{"send", "enviar"}, desc: text{"Send money", "Enviar dinero"}, options: quoteOptions(), run: (*Bot).cmdSend},
	{name: text{"transfer", "transferencia"}, desc: text{"Your transfers", "Sus transferencias"}, subs: []command{
		{name: text{"status", "estado"}, desc: text{"Where is a transfer?", "¿Dónde está una transferencia?"},
			options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true)}, run: (*Bot).cmdTransferStatus},
		{name: text{"cancel", "cancelar"}, desc: text{"Cancel a pending transfer", "Cancele una transferencia pendiente"},
			options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true)}, run: (*Bot).cmdTransferCancel},
	}},
	{name: text{"batch", "lote"}, desc: text{"Cashier batches", "Lotes del cajero"}, subs: []command{
		{name: text{"open", "abrir"}, desc: text{"Open a batch of payout capital", "Abra un lote de capital de pago"},
			options: []*discordgo.ApplicationCommandOption{currencyOpt(oFrom, oFromD, true), currencyOpt(oTo, oToD, true),
				str(oCapital, oCapitalD, true), str(oCostRate, oCostRateD, true)}, run: (*Bot).cmdBatchOpen},
		{name: text{"status", "estado"}, desc: text{"Your open batches", "Sus lotes abiertos"}, run: (*Bot).cmdBatchStatus},
		{name: text{"close", "cerrar"}, desc: text{"Close your batch and see its summary", "Cierre su lote y vea su resumen"},
			options: []*discordgo.ApplicationCommandOption{integer(oBatchID, oBatchIDD, false)}, run: (*Bot).cmdBatchClose},
	}},
	{name: text{"balance", "saldo"}, desc: text{"Your balances", "Sus saldos"}, run: (*Bot).cmdBalance},
	{name: text{"statement", "estado_cuenta"}, desc: text{"Account statement with a CSV file", "Estado de cuenta con archivo CSV"},
		options: []*discordgo.ApplicationCommandOption{currencyOpt(oCurrency, oCurrencyD, false), str(oStart, oStartD, false), str(oEnd, oEndD, false)},
		run:     (*Bot).cmdStatement},
	{name: text{"withdraw", "retiro"}, desc: text{"Withdraw from an account", "Retire de una cuenta"},
		options: []*discordgo.ApplicationCommandOption{str(oAmount, oAmountD, true), currencyOpt(oCurrency, oCurrencyD, true)}, run: (*Bot).cmdWithdraw},
	{name: text{"rate", "tasa"}, desc: text{"Exchange rates", "Tasas de cambio"}, subs: []command{
		{name: text{"set", "fijar"}, desc: text{"Set a pair's rate (superuser)", "Fije la tasa de un par (superusuario)"},
			options: []*discordgo.ApplicationCommandOption{currencyOpt(oFrom, oFromD, true), currencyOpt(oTo, oToD, true), str(oRate, oRateD, true)},
			run:     (*Bot).cmdRateSet},
		{name: text{"list", "listar"}, desc: text{"Current rates", "Tasas vigentes"}, run: (*Bot).cmdRateList},
	}},
	{name: text{"currency", "moneda"}, desc: text{"Currencies (superuser)", "Monedas (superusuario)"}, subs: []command{
		{name: text{"add", "agregar"}, desc: text{"Add a currency", "Agregue una moneda"},
			options: []*discordgo.ApplicationCommandOption{str(oCode, oCodeD, true), integer(oExponent, oExponentD, true), str(oName, oNameD, true)},
			run:     (*Bot).cmdCurrencyAdd},
	}},
	{name: text{"country", "pais"}, desc: text{"Countries (superuser)", "Países (superusuario)"}, subs: []command{
		{name: text{"add", "agregar"}, desc: text{"Add a country", "Agregue un país"},
			options: []*discordgo.ApplicationCommandOption{str(oCode, oCodeD, true), str(oName, oNameD, true), currencyOpt(oCurrency, oCurrencyD, true)},
			run:     (*Bot).cmdCountryAdd},
	}},
	{name: text{"rule", "regla"}, desc: text{"Business rules (superuser)", "Reglas de negocio (superusuario)"}, subs: []command{
		{name: text{"commission", "comision"}, desc: text{"Publish a percentage commission", "Publique una comisión porcentual"},
			options: []*discordgo.ApplicationCommandOption{str(oPercent, oPercentD, true), countryOpt(oFromCountry, oFromCD, false),
				countryOpt(oToCountry, oToCD, false), choices(str(oUserType, oUserTypeD, false), "client", "agent")},
			run: (*Bot).cmdRuleCommission},
	}},
	{name: text{"config", "config"}, desc: text{"Discord settings (superuser)", "Ajustes de Discord (superusuario)"}, subs: []command{
		{name: text{"channel", "canal"}, desc: text{"Where notices go", "Adónde van los avisos"},
			options: []*discordgo.ApplicationCommandOption{choices(str(oKind, oKindD, true), "admin", "cashier", "log", "welcome"),
				opt(discordgo.ApplicationCommandOptionChannel, oChannel, oChannelD, true)}, run: (*Bot).cmdConfigChannel},
		{name: text{"role", "rol"}, desc: text{"Which Discord role each app role is", "Qué rol de Discord es cada rol de la app"},
			options: []*discordgo.ApplicationCommandOption{choices(str(oRole, oRoleD, true), "client", "agent", "cashier", "superuser"),
				opt(discordgo.ApplicationCommandOptionRole, oDRole, oDRoleD, true)}, run: (*Bot).cmdConfigRole},
	}},
	{name: text{"role", "rol"}, desc: text{"App roles of members (superuser)", "Roles de la app de los miembros (superusuario)"}, subs: []command{
		{name: text{"assign", "asignar"}, desc: text{"Give a member a role", "Dé un rol a un miembro"},
			options: []*discordgo.ApplicationCommandOption{opt(discordgo.ApplicationCommandOptionUser, oUser, oUserD, true),
				choices(str(oRole, oRoleD, true), "agent", "cashier", "superuser")}, run: (*Bot).cmdRoleAssign},
		{name: text{"remove", "quitar"}, desc: text{"Take a role away", "Quite un rol"},
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
		if c.name.en != data.Name {
			continue
		}
		if c.run != nil {
			return c.run(b, it, collect(data.Options))
		}
		for _, o := range data.Options {
			for _, s := range c.subs {
				if s.name.en == o.Name {
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
