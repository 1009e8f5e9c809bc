package discord

import (
	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
)

// The words of refunds and reversals.
var (
	lRefund       = words.Text("discord_refund", "Refund #{{.ID}}")
	lOfTransfer   = words.Text("discord_of_transfer", "Transfer")
	lKind         = words.Text("discord_kind", "Kind")
	lRefundTo     = words.Text("discord_refund_to", "Given back to")
	lToBalance    = words.Text("discord_to_balance", "the client's balance")
	lToOutside    = words.Text("discord_to_outside", "outside (cash, bank)")
	lCharged      = words.Text("discord_charged", "Borne by")
	lRefunded     = words.Text("discord_refunded", "Refunded")
	lAdjustment   = words.Text("discord_adjustment", "Adjustment after closing: transfer #{{.ID}}")
	lRefundDone   = words.Text("discord_refund_done", "Refund #{{.ID}} of {{.Amount}} ({{.Status}}).")
	oToBalance    = words.Text("discord_opt_to_balance", "to_balance")
	oToBalanceD   = words.Text("discord_opt_to_balance_desc", "True to credit the client's balance; false if the money was returned outside")
	oReason       = words.Text("discord_opt_reason", "reason")
	oReasonD      = words.Text("discord_opt_reason_desc", "Why")
	oRefundAmount = words.Text("discord_opt_refund_amount_desc", "Amount to give back, in the currency the client paid")
)

// refundCommands are /refund and /reverse, for superusers.
var refundCommands = []command{
	{name: words.Text("discord_cmd_refund", "refund"), desc: words.Text("discord_cmd_refund_desc", "Refund all or part of a completed transfer (superuser)"),
		options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true), str(oAmount, oRefundAmount, true), str(oReason, oReasonD, true),
			boolean(oToBalance, oToBalanceD, false)},
		run: (*Bot).cmdRefund},
	{name: words.Text("discord_cmd_reverse", "reverse"), desc: words.Text("discord_cmd_reverse_desc", "Reverse a completed transfer, for example one paid to the wrong beneficiary (superuser)"),
		options: []*discordgo.ApplicationCommandOption{integer(oID, oIDD, true), str(oReason, oReasonD, true), boolean(oToBalance, oToBalanceD, false)},
		run:     (*Bot).cmdReverse},
}

func (b *Bot) cmdRefund(it *interaction, o options) (response, error) {
	r, err := b.app.Refund(it.ctx, it.key, app.RefundTransfer{TransferID: cambista.ID(o.int("id")), Amount: o.str("amount"),
		ToBalance: o.bool("to_balance"), Reason: o.str("reason")})
	if err != nil {
		return nil, err
	}
	return ephemeralCard(RefundCard(it.lang, r), tr(it.lang, lRefundDone, "ID", r.ID, "Amount", r.Amount, "Status", cambista.WordFor(string(r.Status)))), nil
}

func (b *Bot) cmdReverse(it *interaction, o options) (response, error) {
	r, err := b.app.Reverse(it.ctx, it.key, app.ReverseTransfer{TransferID: cambista.ID(o.int("id")), ToBalance: o.bool("to_balance"), Reason: o.str("reason")})
	if err != nil {
		return nil, err
	}
	return ephemeralCard(RefundCard(it.lang, r), tr(it.lang, lRefundDone, "ID", r.ID, "Amount", r.Amount, "Status", cambista.WordFor(string(r.Status)))), nil
}

// RefundCard shows a refund or reversal; while it waits for a second
// superuser it carries Approve and Reject.
func RefundCard(l i18n.Lang, r *cambista.Refund) Card {
	to := tr(l, lToOutside)
	if r.ToBalance {
		to = tr(l, lToBalance)
	}
	e := &discordgo.MessageEmbed{
		Title: tr(l, lRefund, "ID", r.ID),
		Color: stateColor(string(r.Status)),
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lUser), "<@"+string(r.ClientID)+">", true),
			field(tr(l, lOfTransfer), tr(l, lTransfer, "ID", r.TransferID), true),
			field(tr(l, lKind), i18n.Word(l, r.Kind), true),
			field(tr(l, lAmount), amount(l, r.Amount), true),
			field(tr(l, lRefundTo), to, true),
			field(tr(l, lStatus), i18n.Word(l, r.Status), true),
			field(tr(l, lReason), plain(r.Reason), false),
		},
	}
	switch r.Charged {
	case cambista.ChargedBatch:
		e.Fields = append(e.Fields, field(tr(l, lCharged), tr(l, lBatch, "ID", r.BatchID), true))
	case cambista.ChargedHouse:
		e.Fields = append(e.Fields, field(tr(l, lCharged), i18n.Word(l, "house"), true))
	}
	if r.ApprovedBy != "" {
		e.Fields = append(e.Fields, field(tr(l, lBy), tr(l, lWhoActed, "State", cambista.WordFor(string(r.Status)), "User", r.ApprovedBy), false))
	}
	c := Card{Embeds: []*discordgo.MessageEmbed{e}}
	if r.Status == cambista.RefundRequested {
		c.Components = []discordgo.MessageComponent{row(
			button(lApprove, l, discordgo.SuccessButton, actApproveRefund, r.ID),
			button(lReject, l, discordgo.DangerButton, actRejectRefund, r.ID))}
	}
	return c
}
