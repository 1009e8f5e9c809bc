package discord

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/rules"
	"github.com/shopspring/decimal"
)

type response = *discordgo.InteractionResponse

// registerModal is the registration form, with the agent's invite code
// that /register was given already filled in.
func (b *Bot) registerModal(it *interaction, code string) response {
	return modalResponse(actRegister, tr(it.lang, lRegister),
		discordgo.TextInput{CustomID: "name", Label: tr(it.lang, lDisplayName), Style: discordgo.TextInputShort, Required: true, MaxLength: 80},
		discordgo.TextInput{CustomID: "phone", Label: tr(it.lang, lPhone), Style: discordgo.TextInputShort, MaxLength: 32},
		discordgo.TextInput{CustomID: "code", Label: tr(it.lang, lInviteInput), Style: discordgo.TextInputShort, MaxLength: 16, Value: code})
}

func (b *Bot) cmdRegister(it *interaction, o options) (response, error) {
	return b.registerModal(it, strings.TrimSpace(o.str("code"))), nil
}

// rolesPanel offers the self-service choices: country and user type.
func (b *Bot) rolesPanel(it *interaction, content string) (response, error) {
	catalog, err := b.app.Catalog(it.ctx)
	if err != nil {
		return nil, err
	}
	var opts []discordgo.SelectMenuOption
	for _, c := range catalog.Countries {
		if len(opts) < 25 {
			opts = append(opts, discordgo.SelectMenuOption{Label: c.Name, Value: c.Code})
		}
	}
	var rows []discordgo.MessageComponent
	if len(opts) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			CustomID: actCountry, Placeholder: tr(it.lang, lPickCountry), Options: opts}}})
	}
	rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
		CustomID: actUserType, Placeholder: tr(it.lang, lPickType), Options: []discordgo.SelectMenuOption{
			{Label: tr(it.lang, lTypeClient), Value: string(cambista.UserTypeClient)},
			{Label: tr(it.lang, lTypeAgent), Value: string(cambista.UserTypeAgent)},
		}}}})
	return ephemeralCard(Card{Components: rows}, content), nil
}

func (b *Bot) cmdRoles(it *interaction, _ options) (response, error) {
	if err := cambista.Authorize(cambista.ActorFromContext(it.ctx), cambista.ActUpdateProfile); err != nil {
		return nil, err
	}
	return b.rolesPanel(it, tr(it.lang, lPickCountry)+" · "+tr(it.lang, lPickType))
}

func (b *Bot) cmdAccountRequest(it *interaction, o options) (response, error) {
	a, err := b.app.RequestAccount(it.ctx, it.key, o.str("currency"))
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lRequested, "ID", a.ID, "Currency", a.Currency)), nil
}

func (b *Bot) cmdBalance(it *interaction, _ options) (response, error) {
	views, err := b.app.Accounts(it.ctx, "")
	if err != nil {
		return nil, err
	}
	return ephemeralCard(BalanceCard(it.lang, views), ""), nil
}

func quoteRequest(o options) app.QuoteRequest {
	return app.QuoteRequest{Amount: o.str("amount"), From: o.str("from"), To: o.str("to"),
		FromCountry: o.str("from_country"), ToCountry: o.str("to_country")}
}

func (b *Bot) quote(it *interaction, o options, confirm bool) (response, error) {
	q, err := b.app.Quote(it.ctx, it.key, quoteRequest(o))
	if err != nil {
		return nil, err
	}
	why, err := b.app.Explain(it.ctx, q.ID)
	if err != nil {
		return nil, err
	}
	payable := false
	if confirm {
		if payable, err = b.app.CanPayFromBalance(it.ctx, q.Send); err != nil {
			return nil, err
		}
	}
	return ephemeralCard(QuoteCard(it.lang, q, why, confirm, payable), ""), nil
}

func (b *Bot) cmdQuote(it *interaction, o options) (response, error) { return b.quote(it, o, false) }
func (b *Bot) cmdSend(it *interaction, o options) (response, error)  { return b.quote(it, o, true) }

func (b *Bot) cmdTransferStatus(it *interaction, o options) (response, error) {
	t, err := b.app.Transfer(it.ctx, cambista.ID(o.int("id")))
	if err != nil {
		return nil, err
	}
	c := TransferCard(it.lang, t)
	if !holds(it, t) {
		c.Components = nil // buttons belong to the cashier channel's card, or to its holder
	}
	return ephemeralCard(c, ""), nil
}

// holds says whether the one interacting holds the taken transfer.
func holds(it *interaction, t *cambista.Transfer) bool {
	return t.Status == cambista.TransferTaken && t.CashierID == cambista.ActorFromContext(it.ctx).UserID
}

// takeFromQueue takes the transfer picked in a queue card's menu and
// answers with its card and buttons, seen by the cashier alone: the queue
// card is shared, and the worker edits it. Picking a transfer the cashier
// holds already answers the same, so a lost reply costs nothing; someone
// else's is refused as any take is.
func (b *Bot) takeFromQueue(it *interaction, values []string) (response, error) {
	if len(values) != 1 {
		return nil, errUnknownAction
	}
	n, err := strconv.ParseInt(values[0], 10, 64)
	if err != nil || n <= 0 {
		return nil, errUnknownAction
	}
	t, err := b.app.TakeTransfer(it.ctx, it.key, cambista.ID(n))
	if cambista.ErrorCode(err) == cambista.ECONFLICT {
		if held, herr := b.app.Transfer(it.ctx, cambista.ID(n)); herr == nil && holds(it, held) {
			t, err = held, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return ephemeralCard(TransferCard(it.lang, t), ""), nil
}

func (b *Bot) cmdTransferCancel(it *interaction, o options) (response, error) {
	t, err := b.app.CancelTransfer(it.ctx, it.key, cambista.ID(o.int("id")))
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lCancelled, "ID", t.ID)), nil
}

func (b *Bot) cmdBatchOpen(it *interaction, o options) (response, error) {
	batch, err := b.app.OpenBatch(it.ctx, it.key, app.OpenBatch{Base: o.str("from"), Quote: o.str("to"),
		Capital: o.str("capital"), CostRate: o.str("cost_rate")})
	if err != nil {
		return nil, err
	}
	st, err := b.app.BatchStatus(it.ctx, batch.ID)
	if err != nil {
		return nil, err
	}
	return ephemeralCard(BatchCard(it.lang, st), ""), nil
}

func (b *Bot) cmdBatchStatus(it *interaction, _ options) (response, error) {
	open, err := b.app.OpenBatches(it.ctx)
	if err != nil {
		return nil, err
	}
	if len(open) == 0 {
		return ephemeral(tr(it.lang, lNoOpenBatches)), nil
	}
	var c Card
	for _, st := range open {
		c.Embeds = append(c.Embeds, BatchCard(it.lang, st).Embeds...)
	}
	return ephemeralCard(c, ""), nil
}

func (b *Bot) cmdBatchClose(it *interaction, o options) (response, error) {
	id := cambista.ID(o.int("batch"))
	if id == 0 {
		open, err := b.app.OpenBatches(it.ctx)
		if err != nil {
			return nil, err
		}
		if len(open) != 1 {
			return b.cmdBatchStatus(it, o) // none, or several: show them, so the batch number can be given
		}
		id = open[0].Batch.ID
	}
	batch, err := b.app.CloseBatch(it.ctx, it.key, id)
	if err != nil {
		return nil, err
	}
	st, err := b.app.BatchStatus(it.ctx, batch.ID)
	if err != nil {
		return nil, err
	}
	return ephemeralCard(BatchCard(it.lang, st), tr(it.lang, lBatchClosed, "ID", batch.ID)), nil
}

// cmdStatement answers with the client's transfers of the period beside
// their account's postings: a summary in the message, every line in a CSV
// file. Without a currency it takes the first account's; without any
// account, the transfers alone.
func (b *Bot) cmdStatement(it *interaction, o options) (response, error) {
	q := app.StatementQuery{Currency: o.str("currency"), Limit: 5000}
	var err error
	if q.From, err = day(o.str("start"), 0); err != nil {
		return nil, err
	}
	if q.To, err = day(o.str("end"), 24*time.Hour); err != nil {
		return nil, err
	}
	transfers, err := b.app.TransferHistory(it.ctx, app.HistoryQuery{From: q.From, To: q.To, Limit: 5000})
	if err != nil {
		return nil, err
	}
	if q.Currency == "" {
		views, err := b.app.Accounts(it.ctx, "")
		if err != nil {
			return nil, err
		}
		if len(views) > 0 {
			q.Currency = views[0].Account.Currency
		}
	}
	var st *app.Statement
	if q.Currency != "" {
		if st, err = b.app.Statement(it.ctx, q); err != nil {
			return nil, err
		}
	} else if len(transfers) == 0 {
		return ephemeral(tr(it.lang, lNoAccounts)), nil
	}
	csv, err := StatementCSV(st, transfers)
	if err != nil {
		return nil, err
	}
	name := "statement.csv"
	if st != nil {
		name = fmt.Sprintf("statement-%s.csv", st.Currency.Code)
	}
	r := ephemeralCard(StatementCard(it.lang, st, transfers), "")
	r.Data.Files = []*discordgo.File{{Name: name, ContentType: "text/csv", Reader: strings.NewReader(string(csv))}}
	return r, nil
}

// day reads YYYY-MM-DD as the start of that UTC day, plus shift.
func day(s string, shift time.Duration) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, cambista.Errorf(cambista.EINVALID, cambista.MsgBadDate.Msg("Input", s))
	}
	return t.Add(shift), nil
}

func (b *Bot) cmdWithdraw(it *interaction, o options) (response, error) {
	w, err := b.app.RequestWithdrawal(it.ctx, it.key, app.RequestWithdrawal{Currency: o.str("currency"), Amount: o.str("amount")})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lWithdrawReq, "ID", w.ID, "Amount", w.Amount)), nil
}

func (b *Bot) cmdRateSet(it *interaction, o options) (response, error) {
	r, err := b.app.SetRate(it.ctx, it.key, app.SetRate{Base: o.str("from"), Quote: o.str("to"), Value: o.str("rate"), Confirmed: o.bool("confirm")})
	if cambista.ErrorMessage(err).ID == cambista.MsgRateJump.ID {
		// The question, and how to answer it.
		return ephemeral("⚠️ " + i18n.T(it.lang, cambista.ErrorMessage(err)) + "\n" + tr(it.lang, lRateConfirmHow)), nil
	}
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lRateSet, "Pair", cambista.Pair(r.Base, r.Quote), "Rate", r.Value, "Quote", r.Quote, "Base", r.Base)), nil
}

func (b *Bot) cmdRateList(it *interaction, _ options) (response, error) {
	rates, err := b.app.CurrentRates(it.ctx)
	if err != nil {
		return nil, err
	}
	if len(rates) == 0 {
		return ephemeral(tr(it.lang, lNoRates)), nil
	}
	e := &discordgo.MessageEmbed{Title: tr(it.lang, lRate), Color: colorInfo}
	for _, r := range rates {
		e.Fields = append(e.Fields, field(cambista.Pair(r.Base, r.Quote), fmt.Sprintf("%s · %s", i18n.Number(it.lang, r.Value.String()), when(r.ValidFrom)), true))
	}
	return ephemeralCard(Card{Embeds: []*discordgo.MessageEmbed{e}}, ""), nil
}

func (b *Bot) cmdCurrencyAdd(it *interaction, o options) (response, error) {
	c, err := b.app.AddCurrency(it.ctx, it.key, app.AddCurrency{Code: o.str("code"), Exponent: int(o.int("decimals")), Name: o.str("name")})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lCurrencyAdded, "Code", c.Code, "Name", plain(c.Name), "Exponent", c.Exponent)), nil
}

func (b *Bot) cmdCountryAdd(it *interaction, o options) (response, error) {
	c, err := b.app.AddCountry(it.ctx, it.key, app.AddCountry{Code: o.str("code"), Name: o.str("name"), Currency: o.str("currency")})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lCountryAdded, "Code", c.Code, "Name", plain(c.Name), "Currency", c.Currency)), nil
}

// cmdRuleCommission saves and publishes a plain percentage commission,
// and nothing else: drafts prepared in the panel stay drafts. The panel
// edits every other kind of rule.
func (b *Bot) cmdRuleCommission(it *interaction, o options) (response, error) {
	pct, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(o.str("percent")), ",", "."))
	if err != nil {
		return nil, cambista.Errorf(cambista.EINVALID, msgBadPercent.Msg("Input", o.str("percent")))
	}
	r := rules.Rule{Name: "Commission " + pct.String() + " %", Kind: rules.Commission, Effect: rules.Effect{Percent: pct},
		Scope: rules.Scope{FromCountry: strings.ToUpper(o.str("from_country")), ToCountry: strings.ToUpper(o.str("to_country")),
			UserType: cambista.UserType(o.str("user_type"))}}
	v, err := b.app.SaveAndPublishRule(it.ctx, it.key, r)
	if err != nil {
		return nil, err
	}
	lines := []string{tr(it.lang, lRuleSaved, "ID", v.RuleID, "Percent", pct)}
	for _, old := range v.Replaced {
		lines = append(lines, tr(it.lang, lRuleReplaced, "ID", old.RuleID, "Name", old.Name))
	}
	return ephemeral(strings.Join(lines, "\n")), nil
}

func (b *Bot) cmdConfigChannel(it *interaction, o options) (response, error) {
	ch := o["channel"]
	if ch == nil {
		return nil, errUnknownAction
	}
	s, err := b.app.ConfigureChannel(it.ctx, it.key, app.ChannelSetting{Kind: o.str("kind"), ChannelID: fmt.Sprint(ch.Value)})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lChannelSet, "Kind", s.Kind, "Channel", s.ChannelID)), nil
}

func (b *Bot) cmdConfigRole(it *interaction, o options) (response, error) {
	role, err := cambista.ParseRole(o.str("role"))
	if err != nil {
		return nil, err
	}
	dr := o["discord_role"]
	if dr == nil {
		return nil, errUnknownAction
	}
	s, err := b.app.ConfigureRole(it.ctx, it.key, app.RoleSetting{Role: role, DiscordRoleID: fmt.Sprint(dr.Value)})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lRoleSet, "Role", s.Role, "DiscordRole", s.DiscordRoleID)), nil
}

func (b *Bot) cmdRoleAssign(it *interaction, o options) (response, error) {
	return b.changeRole(it, o, true)
}
func (b *Bot) cmdRoleRemove(it *interaction, o options) (response, error) {
	return b.changeRole(it, o, false)
}

func (b *Bot) changeRole(it *interaction, o options, grant bool) (response, error) {
	role, err := cambista.ParseRole(o.str("role"))
	if err != nil {
		return nil, err
	}
	u := o["user"]
	if u == nil {
		return nil, errUnknownAction
	}
	in := app.RoleChange{UserID: cambista.UserID(fmt.Sprint(u.Value)), Role: role}
	change := b.app.RemoveRole
	if grant {
		change = b.app.AssignRole
	}
	user, err := change(it.ctx, it.key, in)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, 4)
	for _, r := range user.Roles.List() {
		names = append(names, r.String())
	}
	return ephemeral(tr(it.lang, lRoleChanged, "User", "<@"+string(user.ID)+">", "Roles", strings.Join(names, ", "))), nil
}

// autocomplete offers the enabled currency and country codes, to anyone
// who types, registered or not.
func (b *Bot) autocomplete(it *interaction) (response, error) {
	data := it.i.ApplicationCommandData()
	focused := focusedOption(data.Options)
	if focused == nil {
		return nil, errUnknownAction
	}
	typed := strings.ToUpper(focused.StringValue())
	catalog, err := b.app.Catalog(it.ctx)
	if err != nil {
		return nil, err
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	add := func(code, name string) {
		if len(out) < 25 && (strings.HasPrefix(code, typed) || strings.Contains(strings.ToUpper(name), typed)) {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: code + " · " + name, Value: code})
		}
	}
	if strings.Contains(focused.Name, "country") {
		for _, c := range catalog.Countries {
			add(c.Code, c.Name)
		}
	} else {
		for _, c := range catalog.Currencies {
			add(c.Code, c.Name)
		}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: out}}, nil
}

func focusedOption(list []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range list {
		if o.Focused {
			return o
		}
		if f := focusedOption(o.Options); f != nil {
			return f
		}
	}
	return nil
}

// component answers a button or select menu. The custom ID says what and
// which; the use case checks again who may, and whether it still can.
func (b *Bot) component(it *interaction) (response, error) {
	data := it.i.MessageComponentData()
	action, id, err := parseCustomID(data.CustomID)
	if err != nil {
		return nil, err
	}
	l := it.lang
	reason := discordgo.TextInput{CustomID: "reason", Label: tr(l, lReasonInput), Style: discordgo.TextInputParagraph, Required: true, MaxLength: 500}
	switch action {
	case actRegister:
		return b.registerModal(it, ""), nil
	case actApproveAccount:
		a, err := b.app.DecideAccount(it.ctx, it.key, app.Decision{ID: id, Approve: true})
		if err != nil {
			return nil, err
		}
		return update(AccountCard(l, a)), nil
	case actApproveAgent:
		r, err := b.app.DecideAgent(it.ctx, it.key, app.Decision{ID: id, Approve: true})
		if err != nil {
			return nil, err
		}
		return update(AgentRequestCard(l, r)), nil
	case actApproveWithdrawal:
		w, err := b.app.DecideWithdrawal(it.ctx, it.key, app.Decision{ID: id, Approve: true})
		if err != nil {
			return nil, err
		}
		return update(WithdrawalCard(l, w)), nil
	case actApproveRefund:
		r, err := b.app.ApproveRefund(it.ctx, it.key, app.Decision{ID: id, Approve: true})
		if err != nil {
			return nil, err
		}
		return update(RefundCard(l, r)), nil
	case actConfirmDeposit:
		d, err := b.app.DecideDeposit(it.ctx, it.key, app.Decision{ID: id, Approve: true})
		if err != nil {
			return nil, err
		}
		return update(DepositCard(l, d)), nil
	case actTake:
		t, err := b.app.TakeTransfer(it.ctx, it.key, id)
		if err != nil {
			return nil, err
		}
		return update(TransferCard(l, t)), nil
	case actPick:
		return b.takeFromQueue(it, data.Values)
	case actRelease:
		t, err := b.app.ReleaseTransfer(it.ctx, it.key, id)
		if err != nil {
			return nil, err
		}
		return update(TransferCard(l, t)), nil
	case actRejectAccount, actRejectAgent, actRejectWithdrawal, actRejectTransfer, actRejectDeposit, actRejectRefund:
		if err := b.canDecide(it, action); err != nil {
			return nil, err
		}
		return modalResponse(customID(action, id), tr(l, lReject), reason), nil
	case actComplete:
		if err := cambista.Authorize(cambista.ActorFromContext(it.ctx), cambista.ActCompleteTransfer); err != nil {
			return nil, err
		}
		return modalResponse(customID(action, id), tr(l, lComplete),
			discordgo.TextInput{CustomID: "reference", Label: tr(l, lRefInput), Style: discordgo.TextInputShort, Required: true, MaxLength: 100},
			discordgo.TextInput{CustomID: "proof", Label: tr(l, lProofInput), Style: discordgo.TextInputShort, MaxLength: 2000}), nil
	case actConfirmQuote, actConfirmFromBalance:
		return modalResponse(customID(action, id), tr(l, lBeneficiary),
			discordgo.TextInput{CustomID: "name", Label: tr(l, lBenName), Style: discordgo.TextInputShort, Required: true, MaxLength: 100},
			discordgo.TextInput{CustomID: "bank", Label: tr(l, lBenBank), Style: discordgo.TextInputShort, Required: true, MaxLength: 100},
			discordgo.TextInput{CustomID: "number", Label: tr(l, lBenNumber), Style: discordgo.TextInputShort, Required: true, MaxLength: 34},
			discordgo.TextInput{CustomID: "document", Label: tr(l, lBenDoc), Style: discordgo.TextInputShort, Required: true, MaxLength: 30}), nil
	case actCountry, actUserType:
		if len(data.Values) != 1 {
			return nil, errUnknownAction
		}
		p := app.Profile{}
		v := data.Values[0]
		switch {
		case action == actCountry:
			p.Country = &v
		case cambista.UserType(v) == cambista.UserTypeAgent:
			// Becoming an agent changes money: a request, not a choice.
			r, err := b.app.RequestAgent(it.ctx, it.key)
			if err != nil {
				return nil, err
			}
			return ephemeral(tr(l, lAgentAsked, "ID", r.ID)), nil
		default:
			t := cambista.UserType(v)
			p.Type = &t
		}
		u, err := b.app.UpdateProfile(it.ctx, it.key, p)
		if err != nil {
			return nil, err
		}
		return ephemeral(tr(l, lProfileSaved, "Country", orDash(u.Country), "Type", orDash(string(u.Type)))), nil
	}
	return nil, errUnknownAction
}

// canDecide checks the permission before opening a reason form, so a
// person without it learns at once rather than after typing.
func (b *Bot) canDecide(it *interaction, action string) error {
	act := cambista.ActDecideAccount
	switch action {
	case actRejectAgent:
		act = cambista.ActDecideAgent
	case actRejectWithdrawal:
		act = cambista.ActDecideWithdrawal
	case actRejectTransfer:
		act = cambista.ActRejectTransfer
	case actRejectDeposit:
		act = cambista.ActDecideDeposit
	case actRejectRefund:
		act = cambista.ActRefund
	}
	return cambista.Authorize(cambista.ActorFromContext(it.ctx), act)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// modal answers a submitted form.
func (b *Bot) modal(it *interaction) (response, error) {
	data := it.i.ModalSubmitData()
	action, id, err := parseCustomID(data.CustomID)
	if err != nil {
		return nil, err
	}
	v := modalValues(it.i)
	l := it.lang
	switch action {
	case actRegister:
		u, err := b.app.Register(it.ctx, it.key, app.Register{DisplayName: v["name"], Phone: v["phone"], Locale: string(l), DiscordName: memberName(it.i),
			InviteCode: v["code"]})
		if err != nil {
			return nil, err
		}
		actor, err := b.app.Actor(it.ctx, u.ID, string(l))
		if err != nil {
			return nil, err
		}
		it.ctx = cambista.WithActor(it.ctx, actor)
		content := tr(l, lRegistered, "Name", plain(u.DisplayName))
		if v["code"] != "" {
			content = tr(l, lRegisteredBy, "Agent", u.ReferrerID) + "\n" + content
		}
		return b.rolesPanel(it, content)
	case actRejectAccount:
		a, err := b.app.DecideAccount(it.ctx, it.key, app.Decision{ID: id, Reason: v["reason"]})
		if err != nil {
			return nil, err
		}
		return update(AccountCard(l, a)), nil
	case actRejectAgent:
		r, err := b.app.DecideAgent(it.ctx, it.key, app.Decision{ID: id, Reason: v["reason"]})
		if err != nil {
			return nil, err
		}
		return update(AgentRequestCard(l, r)), nil
	case actRejectWithdrawal:
		w, err := b.app.DecideWithdrawal(it.ctx, it.key, app.Decision{ID: id, Reason: v["reason"]})
		if err != nil {
			return nil, err
		}
		return update(WithdrawalCard(l, w)), nil
	case actRejectRefund:
		r, err := b.app.ApproveRefund(it.ctx, it.key, app.Decision{ID: id, Reason: v["reason"]})
		if err != nil {
			return nil, err
		}
		return update(RefundCard(l, r)), nil
	case actRejectDeposit:
		d, err := b.app.DecideDeposit(it.ctx, it.key, app.Decision{ID: id, Reason: v["reason"]})
		if err != nil {
			return nil, err
		}
		return update(DepositCard(l, d)), nil
	case actRejectTransfer:
		t, err := b.app.RejectTransfer(it.ctx, it.key, app.Reason{ID: id, Reason: v["reason"]})
		if err != nil {
			return nil, err
		}
		return update(TransferCard(l, t)), nil
	case actComplete:
		t, err := b.app.CompleteTransfer(it.ctx, it.key, app.Complete{ID: id, Reference: v["reference"], ProofURL: v["proof"]})
		if err != nil {
			return nil, err
		}
		return update(TransferCard(l, t)), nil
	case actConfirmQuote, actConfirmFromBalance:
		t, err := b.app.CreateTransfer(it.ctx, it.key, app.CreateTransfer{QuoteID: id, Beneficiary: cambista.Beneficiary{
			Name: v["name"], Bank: v["bank"], AccountNumber: v["number"], DocumentID: v["document"]}, FromBalance: action == actConfirmFromBalance})
		if err != nil {
			return nil, err
		}
		return ephemeral(tr(l, lCreated, "ID", t.ID, "Amount", t.Send, "Beneficiary", plain(t.Beneficiary.Name))), nil
	}
	return nil, errUnknownAction
}
