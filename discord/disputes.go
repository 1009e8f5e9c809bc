package discord

import (
	"strconv"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// The words of disputes.
var (
	lDispute         = words.Text("discord_dispute", "Dispute #{{.ID}}")
	lClaim           = words.Text("discord_claim", "The client says")
	lResolution      = words.Text("discord_resolution", "Resolution")
	lRefundMade      = words.Text("discord_refund_made", "Refund #{{.ID}}")
	lDisputeOpened   = words.Text("discord_dispute_opened", "Dispute #{{.ID}} of transfer #{{.Transfer}} opened. Staff will look into it; you will get a DM.")
	lDisputeDone     = words.Text("discord_dispute_done", "Dispute #{{.ID}} resolved: {{.Status}}.")
	lDisputeDaysSet  = words.Text("discord_dispute_days_set", "Transfers can be disputed up to {{.Days}} days after their completion.")
	lThreadName      = words.Text("discord_thread_name", "Dispute {{.ID}} · transfer {{.Transfer}}")
	lOutcomeRejected = words.Text("discord_outcome_rejected", "rejected: the client is told why")
	lOutcomeRefunded = words.Text("discord_outcome_refunded", "refunded: all or part of the transfer is given back")

	oOutcome  = words.Text("discord_opt_outcome", "outcome")
	oOutcomeD = words.Text("discord_opt_outcome_desc", "How the dispute ends")
	oDays     = words.Text("discord_opt_days", "days")
	oDaysD    = words.Text("discord_opt_days_desc", "Days after its completion a transfer can be disputed, for example 30")
	oClaimD   = words.Text("discord_opt_claim_desc", "What went wrong")
	oPartialD = words.Text("discord_opt_partial_desc", "Amount to give back (all that is left when empty), in the currency the client paid")
)

// disputeCommand is /dispute: open (a client, on their completed transfer)
// and resolve (a superuser).
var disputeCommand = command{name: words.Text("discord_cmd_dispute", "dispute"), desc: words.Text("discord_cmd_dispute_desc", "Disputes of completed transfers"), subs: []command{
	{name: words.Text("discord_cmd_dispute_open", "open"), desc: words.Text("discord_cmd_dispute_open_desc", "Dispute one of your completed transfers"),
		options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true), str(oReason, oClaimD, true)}, run: (*Bot).cmdDisputeOpen},
	{name: words.Text("discord_cmd_dispute_resolve", "resolve"), desc: words.Text("discord_cmd_dispute_resolve_desc", "Reject a dispute or refund its transfer (superuser)"),
		options: []*discordgo.ApplicationCommandOption{integer(oID, words.Text("discord_opt_dispute_desc", "Number of the dispute"), true),
			outcomeOpt(),
			str(oReason, oReasonD, true), str(oAmount, oPartialD, false), boolean(oToBalance, oToBalanceD, false)},
		run: (*Bot).cmdDisputeResolve},
}}

// outcomeOpt offers the two endings of a dispute, named in the reader's
// language; the values are the states.
func outcomeOpt() *discordgo.ApplicationCommandOption {
	o := str(oOutcome, oOutcomeD, true)
	for _, c := range []struct {
		name  cambista.MessageDef
		value cambista.DisputeStatus
	}{{lOutcomeRejected, cambista.DisputeRejected}, {lOutcomeRefunded, cambista.DisputeRefunded}} {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c.name.Text, NameLocalizations: localizations(c.name), Value: string(c.value)})
	}
	return o
}

// configDisputes is /config disputes: the days a transfer can be disputed.
var configDisputes = command{name: words.Text("discord_cmd_config_disputes", "disputes"),
	desc:    words.Text("discord_cmd_config_disputes_desc", "How many days after completion a transfer can be disputed"),
	options: []*discordgo.ApplicationCommandOption{integer(oDays, oDaysD, true)}, run: (*Bot).cmdConfigDisputes}

func (b *Bot) cmdDisputeOpen(it *interaction, o options) (response, error) {
	d, err := b.app.OpenDispute(it.ctx, it.key, app.OpenDispute{TransferID: cambista.ID(o.int("id")), Reason: o.str("reason")})
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lDisputeOpened, "ID", d.ID, "Transfer", d.TransferID)), nil
}

func (b *Bot) cmdDisputeResolve(it *interaction, o options) (response, error) {
	outcome := o.str("outcome")
	if outcome != string(cambista.DisputeRejected) && outcome != string(cambista.DisputeRefunded) {
		return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgDisputeOutcome.Msg())
	}
	d, err := b.app.ResolveDispute(it.ctx, it.key, app.ResolveDispute{ID: cambista.ID(o.int("id")), Refund: outcome == string(cambista.DisputeRefunded),
		Amount: o.str("amount"), ToBalance: o.bool("to_balance"), Reason: o.str("reason")})
	if err != nil {
		return nil, err
	}
	return ephemeralCard(DisputeCard(it.lang, d), tr(it.lang, lDisputeDone, "ID", d.ID, "Status", cambista.WordFor(string(d.Status)))), nil
}

func (b *Bot) cmdConfigDisputes(it *interaction, o options) (response, error) {
	days, err := b.app.SetDisputeDays(it.ctx, it.key, strconv.FormatInt(o.int("days"), 10))
	if err != nil {
		return nil, err
	}
	return ephemeral(tr(it.lang, lDisputeDaysSet, "Days", days)), nil
}

// DisputeCard shows a dispute: the transfer, the client's claim and, once
// resolved, who resolved it, why, and the refund made.
func DisputeCard(l i18n.Lang, d *cambista.Dispute) Card {
	e := &discordgo.MessageEmbed{
		Title: tr(l, lDispute, "ID", d.ID),
		Color: stateColor(string(d.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(d.ClientID)+">", true),
			field(tr(l, lOfTransfer), tr(l, lTransfer, "ID", d.TransferID), true),
			field(tr(l, lStatus), i18n.Word(l, d.Status), true),
		},
	}
	if d.CashierID != "" {
		e.Fields = append(e.Fields, field(tr(l, lCashier), "<@"+string(d.CashierID)+">", true))
	}
	e.Fields = append(e.Fields, field(tr(l, lClaim), plain(d.Reason), false))
	if d.RefundID != 0 {
		e.Fields = append(e.Fields, field(tr(l, lResolution), tr(l, lRefundMade, "ID", d.RefundID), true))
	}
	decided(l, e, string(d.Status), d.ResolvedBy, d.Resolution)
	return Card{Embeds: []*discordgo.MessageEmbed{e}}
}

// DisputeThreadName names a dispute's thread in the admin channel.
func DisputeThreadName(l i18n.Lang, d *cambista.Dispute) string {
	return tr(l, lThreadName, "ID", d.ID, "Transfer", d.TransferID)
}
