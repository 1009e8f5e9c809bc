package discord

import (
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

// The card of a liquidity or exposure alert, posted in the admin channel
// when it is raised and edited when it clears.
var (
	lAlert        = words.Text("discord_alert", "Liquidity alert #{{.ID}}")
	lAlertRaised  = words.Text("discord_alert_raised", "Raised")
	lAlertCleared = words.Text("discord_alert_cleared", "Resolved")
	lAlertActive  = words.Text("discord_alert_active", "Active: it clears by itself when the check no longer sees it.")
)

// AlertCard shows what the alert's rule saw; it names the batch's cashier,
// and says when it cleared once it has.
func AlertCard(l i18n.Lang, a *cambista.Alert) Card {
	e := &discordgo.MessageEmbed{
		Title:       tr(l, lAlert, "ID", a.ID),
		Description: i18n.T(l, a.Message()),
		Color:       colorBad,
		Fields: []*discordgo.MessageEmbedField{
			field(tr(l, lAlertRaised), a.RaisedAt.UTC().Format(time.RFC3339), true),
		},
	}
	if a.CashierID != "" {
		e.Fields = append(e.Fields, field(tr(l, lCashier), "<@"+string(a.CashierID)+">", true))
	}
	if a.Active() {
		e.Footer = &discordgo.MessageEmbedFooter{Text: tr(l, lAlertActive)}
	} else {
		e.Color = colorOK
		e.Fields = append(e.Fields, field(tr(l, lAlertCleared), a.ClearedAt.UTC().Format(time.RFC3339), true))
	}
	return Card{Embeds: []*discordgo.MessageEmbed{e}}
}
